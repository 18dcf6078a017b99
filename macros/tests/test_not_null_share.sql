{#
    Raw data is dirty by contract: a few null keys are expected and quarantined by staging.
    This test fails only when the share of nulls exceeds `max_share`, so a loader bug that
    nulls a whole column stops the build while known dirt does not.
#}
{% test not_null_share(model, column_name, max_share) %}

with counts as (
    select
        count(*) as total_rows,
        sum(case when {{ column_name }} is null then 1 else 0 end) as null_rows
    from {{ model }}
)

select
    total_rows,
    null_rows,
    {{ max_share }} as max_share
from counts
where total_rows > 0
  and cast(null_rows as double) / total_rows > {{ max_share }}

{% endtest %}
