{#
    Rank the deliveries of one record: 1 is the version staging keeps (latest business
    update, then latest load). Every other rank is a collapsed re-delivery or an older
    version, reported as such in stg_quality__rejected_rows.
#}
{% macro dedupe_rank(key, order_by) -%}
    row_number() over (
        partition by {{ key }}
        order by {{ order_by }}
    )
{%- endmacro %}
