{#
    Online orders and store transactions in one table, amounts in the original currency
    and in the reporting currency (var cdp_reporting_currency, monthly rates from the
    exchange_rates seed). Sales without a known customer are kept with customer_id null.

    Incremental (delete+insert on transaction_id): a run re-emits the orders that landed since the
    last run or received a late line, the store transactions that landed since, and every
    transaction whose attribution changed (a merge, an erasure). Orders and their lines come
    from two loaders, each with its own clock: each is compared with its own high-water mark
    (record_loaded_at, lines_loaded_at), so a line loader that lags the order loader by more
    than the lookback still has its lines counted.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='transaction_id',
        on_schema_change='fail'
    )
}}
{#- orders that landed, received a line, or changed attribution since the last run -#}
{%- set order_ids_to_process %}
    select order_id from {{ ref('stg_shop__orders') }}
    where _loaded_at > {{ cdp.incremental_watermark('record_loaded_at', where="source = 'shop_orders'") }}
        or order_id in ({{ cdp.records_with_changed_attribution('shop_orders') }})
    union
    select order_id from {{ ref('stg_shop__order_items') }}
    where _loaded_at > {{ cdp.incremental_watermark('lines_loaded_at', where="source = 'shop_orders'") }}
{%- endset %}
with orders as (
    select * from {{ ref('stg_shop__orders') }}
    {%- if is_incremental() %}
        where order_id in ({{ order_ids_to_process }})
    {%- endif %}
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
    {%- if is_incremental() %}
        where order_id in ({{ order_ids_to_process }})
    {%- endif %}
),

store_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ cdp.incremental_watermark('loaded_at', where="source = 'pos_transactions'") }}
            or pos_transaction_id in ({{ cdp.records_with_changed_attribution('pos_transactions') }})
    {%- endif %}
),

attributed_records as (
    select * from {{ ref('int_records__attributed') }}
    where source in ('shop_orders', 'pos_transactions')
),

exchange_rates as (
    select * from {{ ref('exchange_rates') }}
),

order_item_counts as (
    select
        order_id,
        sum(quantity) as item_count,
        count(*) as line_count,
        max(_loaded_at) as lines_loaded_at
    from order_items
    group by order_id
),

online_orders as (
    select
        'shop_orders' as source,
        orders.order_id as source_transaction_id,
        'online' as channel,
        cast(null as {{ dbt.type_string() }}) as store_id,
        'sale' as transaction_type,
        orders.order_status as status,
        orders.is_guest_checkout,
        orders.currency,
        orders.total_amount + orders.discount_amount as gross_amount,
        orders.discount_amount,
        orders.total_amount as net_amount,
        case when orders.order_status = 'refunded' then orders.total_amount else 0 end as refunded_amount,
        coalesce(order_item_counts.item_count, 0) as item_count,
        coalesce(order_item_counts.line_count, 0) as line_count,
        orders.ordered_at as transacted_at,
        case
            when order_item_counts.lines_loaded_at > orders._loaded_at
                then order_item_counts.lines_loaded_at
            else orders._loaded_at
        end as loaded_at,
        orders._loaded_at as record_loaded_at,
        order_item_counts.lines_loaded_at
    from orders
    left join order_item_counts on orders.order_id = order_item_counts.order_id
),

store_sales as (
    select
        'pos_transactions' as source,
        pos_transaction_id as source_transaction_id,
        'store' as channel,
        store_id,
        case when total_amount < 0 then 'return' else 'sale' end as transaction_type,
        case when total_amount < 0 then 'returned' else 'completed' end as status,
        false as is_guest_checkout,
        currency,
        total_amount as gross_amount,
        0 as discount_amount,
        total_amount as net_amount,
        0 as refunded_amount,
        item_count,
        cast(null as integer) as line_count,
        transacted_at,
        _loaded_at as loaded_at,
        _loaded_at as record_loaded_at,
        cast(null as {{ dbt.type_timestamp() }}) as lines_loaded_at
    from store_transactions
),

unioned as (
    select * from online_orders
    union all
    select * from store_sales
),

with_month as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'transacted_at') }} as date) as transaction_month
    from unioned
),

with_rates as (
    select
        with_month.*,
        case when with_month.status = 'cancelled' then 0
            else with_month.net_amount - with_month.refunded_amount
        end as revenue_amount,
        transaction_rates.rate_to_usd / reporting_rates.rate_to_usd as exchange_rate
    from with_month
    left join exchange_rates as transaction_rates
        on with_month.currency = transaction_rates.currency_code
        and with_month.transaction_month = transaction_rates.rate_month
    left join exchange_rates as reporting_rates
        on reporting_rates.currency_code = '{{ var("cdp_reporting_currency") }}'
        and with_month.transaction_month = reporting_rates.rate_month
),

final as (
    select
        {{ dbt.concat(["case when with_rates.source = 'shop_orders' then 'shop-' else 'pos-' end",
                       'with_rates.source_transaction_id']) }} as transaction_id,
        attributed_records.customer_id,
        with_rates.source,
        with_rates.source_transaction_id,
        with_rates.channel,
        with_rates.store_id,
        with_rates.transaction_type,
        with_rates.status,
        with_rates.is_guest_checkout,
        attributed_records.customer_id is not null as is_attributed,
        with_rates.transaction_type = 'sale' and with_rates.status <> 'cancelled' as is_purchase,
        with_rates.currency,
        cast(with_rates.gross_amount as decimal(18, 2)) as gross_amount,
        cast(with_rates.discount_amount as decimal(18, 2)) as discount_amount,
        cast(with_rates.net_amount as decimal(18, 2)) as net_amount,
        cast(with_rates.refunded_amount as decimal(18, 2)) as refunded_amount,
        cast(with_rates.revenue_amount as decimal(18, 2)) as revenue_amount,
        '{{ var("cdp_reporting_currency") }}' as reporting_currency,
        cast(with_rates.exchange_rate as decimal(18, 8)) as exchange_rate,
        cast(with_rates.gross_amount * with_rates.exchange_rate as decimal(18, 2)) as gross_amount_reporting,
        cast(with_rates.discount_amount * with_rates.exchange_rate as decimal(18, 2))
            as discount_amount_reporting,
        cast(with_rates.net_amount * with_rates.exchange_rate as decimal(18, 2)) as net_amount_reporting,
        cast(with_rates.refunded_amount * with_rates.exchange_rate as decimal(18, 2))
            as refunded_amount_reporting,
        cast(with_rates.revenue_amount * with_rates.exchange_rate as decimal(18, 2))
            as revenue_amount_reporting,
        cast(with_rates.item_count as bigint) as item_count,
        cast(with_rates.line_count as bigint) as line_count,
        with_rates.transacted_at,
        cast(with_rates.transacted_at as date) as transaction_date,
        with_rates.loaded_at,
        with_rates.record_loaded_at,
        with_rates.lines_loaded_at,
        {{ cdp.run_started_at_timestamp() }} as written_at
    from with_rates
    left join attributed_records
        on with_rates.source = attributed_records.source
        and with_rates.source_transaction_id = attributed_records.source_record_id
)

select * from final
