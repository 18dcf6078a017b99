{#
    Every raw till transaction delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('pos', 'pos_transactions') }}
),

renamed as (
    select
        {{ cdp.clean_text('transaction_id') }} as pos_transaction_id,
        {{ cdp.clean_text('store_id') }} as store_id,
        {{ cdp.clean_text('loyalty_card_id') }} as loyalty_card_id,
        {{ cdp.clean_text('card_fingerprint') }} as card_fingerprint,
        upper({{ cdp.clean_text('currency') }}) as currency,
        {{ dbt.safe_cast('total_amount', 'decimal(18, 2)') }} as total_amount,
        {{ dbt.safe_cast('item_count', dbt.type_int()) }} as item_count,
        {{ cdp.to_timestamp('transacted_at') }} as transacted_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('pos', 'pos_transactions')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when transacted_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('transacted_at') }} then 'future_timestamp'
        end as _invalid_reason
    from renamed
)

select * from validated
