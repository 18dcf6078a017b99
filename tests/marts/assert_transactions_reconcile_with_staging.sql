-- Every staged order and store transaction is in `transactions` once, with the same amounts;
-- every staged order line is in `transaction_items`. Returns the sources that disagree.
with staged as (
    select
        'shop_orders' as source,
        count(*) as row_count,
        sum(total_amount) as net_amount
    from {{ ref('stg_shop__orders') }}
    union all
    select
        'pos_transactions' as source,
        count(*) as row_count,
        sum(total_amount) as net_amount
    from {{ ref('stg_pos__transactions') }}
    union all
    select
        'shop_order_items' as source,
        count(*) as row_count,
        sum(quantity * unit_price) as net_amount
    from {{ ref('stg_shop__order_items') }}
),

in_marts as (
    select
        source,
        count(*) as row_count,
        sum(net_amount) as net_amount
    from {{ ref('transactions') }}
    group by source
    union all
    select
        'shop_order_items' as source,
        count(*) as row_count,
        sum(line_amount) as net_amount
    from {{ ref('transaction_items') }}
)

select
    staged.source,
    staged.row_count as staged_rows,
    in_marts.row_count as mart_rows,
    staged.net_amount as staged_amount,
    in_marts.net_amount as mart_amount
from staged
left join in_marts on staged.source = in_marts.source
where coalesce(in_marts.row_count, 0) <> staged.row_count
    or coalesce(in_marts.net_amount, 0) <> coalesce(staged.net_amount, 0)
