{#
    One row per till transaction. Incremental: the records with a delivery that landed
    since the last run, their winner chosen against the stored one
    (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='pos_transaction_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_pos__transaction_deliveries') }}
with transactions as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_pos__transaction_deliveries'), 'pos_transaction_id', [
            'pos_transaction_id',
            'store_id',
            'loyalty_card_id',
            'card_fingerprint',
            'currency',
            'total_amount',
            'item_count',
            'transacted_at'
            ]) }}
    {% else %}
        select * from {{ ref('base_pos__transactions') }}
        where rejection_reason is null
    {% endif %}
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
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from transactions
)

select * from final
