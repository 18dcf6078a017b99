-- Every staged tracking event, email activity and support ticket is one row of `events`.
with staged as (
    select
        'tracking_events' as source,
        count(*) as row_count
    from {{ ref('stg_tracking__events') }}
    union all
    select
        'email_activity' as source,
        count(*) as row_count
    from {{ ref('stg_email__activity') }}
    union all
    select
        'support_tickets' as source,
        count(*) as row_count
    from {{ ref('stg_support__tickets') }}
),

in_events as (
    select
        source,
        count(*) as row_count
    from {{ ref('events') }}
    group by source
)

select
    staged.source,
    staged.row_count as staged_rows,
    in_events.row_count as event_rows
from staged
left join in_events on staged.source = in_events.source
where coalesce(in_events.row_count, 0) <> staged.row_count
