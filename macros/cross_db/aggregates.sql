{#
    Aggregate: the second-largest non-null value of `expression` in the group, ties counted
    (two rows share the largest value: that value), null with fewer than two. What
    `row_number() over (order by expression desc)` = 2 picks, without a window and a second
    pass over the rows.
#}
{% macro second_largest(expression) -%}
    {{ return(adapter.dispatch('second_largest', 'cdp')(expression)) }}
{%- endmacro %}

{% macro default__second_largest(expression) -%}
    try_element_at(sort_array(collect_list({{ expression }}), false), 2)
{%- endmacro %}

{# max(x, n): the n largest values, in descending order, duplicates kept #}
{% macro duckdb__second_largest(expression) -%}
    max({{ expression }}, 2)[2]
{%- endmacro %}
