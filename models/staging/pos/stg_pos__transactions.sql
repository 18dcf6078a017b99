with transactions as (
    select * from {{ ref('base_pos__transactions') }}
    where rejection_reason is null
),

final as (
    select
        pos_transaction_id,
        store_id,
        loyalty_card_id,
        card_fingerprint,
        currency,
        total_amount,
        item_count,
        total_amount < 0 as is_refund,
        transacted_at,
        _first_loaded_at,
        _loaded_at
    from transactions
)

select * from final
