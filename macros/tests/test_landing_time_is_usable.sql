{#
    Incremental models pick raw rows by their landing time (`_loaded_at`, decision 0006).
    A row without a usable one (null, or text that is not a time) is never picked by an
    incremental run. A row that landed "later" than this run's start by more than
    var('cdp_future_tolerance_hours') (a loader's clock, a placeholder like 9999-12-31)
    becomes the high-water mark, and every row that lands before that time is then
    skipped. Either way rows would be lost, so this test fails and, in `dbt build`, skips
    the source's models until the loader's rows are corrected. The tolerance must stay
    below `cdp_incremental_lookback_hours`, which re-reads rows that far behind the mark.

    Returns one row when the table has such rows: how many of each, and the latest
    landing time against the run's start.
#}
{% test landing_time_is_usable(model, column_name) %}

{%- if var('cdp_future_tolerance_hours') | float >= var('cdp_incremental_lookback_hours') | float %}
    {%- do exceptions.raise_compiler_error(
        'cdp_future_tolerance_hours (' ~ var('cdp_future_tolerance_hours') ~ ') must be below'
        ~ ' cdp_incremental_lookback_hours (' ~ var('cdp_incremental_lookback_hours') ~ '):'
        ~ ' a landing time that far ahead would pass this test and still hide the rows'
        ~ ' that land before it from incremental runs.') %}
{%- endif %}

{%- set landed = cdp.to_timestamp(column_name) %}
{%- set run_start = cdp.run_started_at_timestamp() %}

with checked as (
    select
        sum(case when {{ landed }} is null then 1 else 0 end) as rows_without_landing_time,
        sum(
            case
                when {{ landed }} > {{ dbt.dateadd('hour', var('cdp_future_tolerance_hours'), run_start) }}
                    then 1
                else 0
            end
        ) as rows_landed_after_run_start,
        max({{ landed }}) as latest_landing_time,
        {{ run_start }} as run_started_at
    from {{ model }}
)

select *
from checked
where rows_without_landing_time > 0 or rows_landed_after_run_start > 0

{% endtest %}
