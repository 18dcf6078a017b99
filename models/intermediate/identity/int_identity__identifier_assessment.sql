{#
    One row per identifier value: may it link records? The guards against over-merging:

    - `blocklisted`: in the identity_blocklist seed (placeholders, zeroed device ids);
    - `over_cap`: seen with more distinct values of some other identifier type than the
      type's `max_co_values` (identity_identifier_rules): test@test.com meets dozens of
      phones, a store's own loyalty card meets hundreds of payment cards. Only values that
      could link count (not blocklisted, of a type that `counts_toward_caps`);
    - `not_issued`: the type has an issuing source (`issued_by_source`: loyalty cards are
      issued by loyalty_members) and no record of that source carries the value: a store's
      own card scanned for walk-in customers, or a card whose member record has not landed
      yet (it links on the first build after it does);
    - `not_a_stitching_type`: the type is kept in the lookup but never links records.

    Incremental: a value's assessment depends only on the records carrying it, so a run
    reassesses only the values whose carriers changed. A checksum over each value's carrying
    records and their landing times (`carriers_checksum`) differs from the stored one when a
    record carrying it is new or re-delivered, or dropped it. Only values whose figures
    changed are written:
    - `assessed_at` is the run that last wrote the value; the graph recomputes the
      components around such values;
    - `usability_changed_at` is the run in which its unusable_reason changed (or it first
      appeared); golden records and the lookup mart redo the records carrying it.
    Values no longer carried by any record are written with record_count 0 and deleted by
    the post-hook. After editing the rules or blocklist seeds, run with --full-refresh.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='value_id',
        on_schema_change='fail',
        post_hook="{% if is_incremental() %}delete from {{ this }} where record_count = 0{% endif %}"
    )
}}
-- read where used: buffering all identifiers costs more than reading them twice
with identifiers {{ cdp.inlined_cte() }} (
    select * from {{ ref('int_identity__identifiers') }}
),

rules as (
    select * from {{ ref('identity_identifier_rules') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

{% if is_incremental() %}
    carriers as (
        select
            value_id,
            count(*) as record_count,
            {{ cdp.set_checksum(['record_id', 'last_loaded_at']) }} as carriers_checksum
        from identifiers
        group by value_id
    ),

    -- values whose carrying records changed: new, re-delivered, gone, or a value dropped
    values_to_assess as (
        select coalesce(carriers.value_id, previous.value_id) as value_id
        from carriers
        full outer join {{ this }} as previous on carriers.value_id = previous.value_id
        where carriers.record_count is distinct from previous.record_count
            or carriers.carriers_checksum is distinct from previous.carriers_checksum
    ),

    -- every record carrying a value to assess, with all its identifiers
    assessed_identifiers as (
        select identifiers.*
        from identifiers
        inner join values_to_assess on identifiers.value_id = values_to_assess.value_id
    ),

    carrier_identifiers as (
        select *
        from identifiers
        where record_id in (select assessed_identifiers.record_id from assessed_identifiers)
    ),
{%- else %}
    assessed_identifiers as (
        select * from identifiers
    ),

    carrier_identifiers as (
        select * from identifiers
    ),
{%- endif %}

-- the identifiers a value's cap is measured against: those that could link records
-- (stitching types, not blocklisted) and whose type counts toward caps. A person has
-- many devices and cookies, so an email met on four app installs is not shared.
capping_identifiers as (
    select carrier_identifiers.*
    from carrier_identifiers
    inner join rules
        on carrier_identifiers.identifier_type = rules.identifier_type
        and rules.is_used_for_stitching
        and coalesce(rules.counts_toward_caps, true)
    left join blocklist
        on carrier_identifiers.identifier_type = blocklist.identifier_type
        and carrier_identifiers.identifier_value = blocklist.identifier_value
    where blocklist.identifier_value is null
),

multi_identifier_records as (
    select record_id
    from carrier_identifiers
    group by record_id
    having count(*) > 1
),

co_occurrences as (
    select
        this_identifier.value_id,
        other_identifier.identifier_type as other_type,
        count(distinct other_identifier.value_id) as distinct_other_values
    from assessed_identifiers as this_identifier
    inner join multi_identifier_records
        on this_identifier.record_id = multi_identifier_records.record_id
    inner join capping_identifiers as other_identifier
        on this_identifier.record_id = other_identifier.record_id
        and this_identifier.identifier_type <> other_identifier.identifier_type
    group by this_identifier.value_id, other_identifier.identifier_type
),

max_co_occurrence as (
    select
        value_id,
        max(distinct_other_values) as max_co_values
    from co_occurrences
    group by value_id
),

issued_values as (
    select distinct assessed_identifiers.value_id
    from assessed_identifiers
    inner join rules
        on assessed_identifiers.identifier_type = rules.identifier_type
        and assessed_identifiers.source = rules.issued_by_source
),

-- value_id names one (type, value): dbt.any_value picks that pair, without grouping by strings
values_counted as (
    select
        value_id,
        {{ dbt.any_value('identifier_type') }} as identifier_type,
        {{ dbt.any_value('identifier_value') }} as identifier_value,
        count(*) as record_count,
        count(distinct source) as source_count,
        {{ cdp.set_checksum(['record_id', 'last_loaded_at']) }} as carriers_checksum
    from assessed_identifiers
    group by value_id
),

assessed as (
    select
        values_counted.value_id,
        values_counted.identifier_type,
        values_counted.identifier_value,
        values_counted.record_count,
        values_counted.source_count,
        values_counted.carriers_checksum,
        coalesce(max_co_occurrence.max_co_values, 0) as max_co_values,
        rules.max_co_values as cap,
        case
            when rules.identifier_type is null or not rules.is_used_for_stitching
                then 'not_a_stitching_type'
            when blocklist.identifier_value is not null then 'blocklisted'
            when coalesce(max_co_occurrence.max_co_values, 0) > rules.max_co_values then 'over_cap'
            when rules.issued_by_source is not null and issued_values.value_id is null
                then 'not_issued'
        end as unusable_reason
    from values_counted
    left join max_co_occurrence on values_counted.value_id = max_co_occurrence.value_id
    left join rules on values_counted.identifier_type = rules.identifier_type
    left join issued_values on values_counted.value_id = issued_values.value_id
    left join blocklist
        on values_counted.identifier_type = blocklist.identifier_type
        and values_counted.identifier_value = blocklist.identifier_value
),

current_assessment as (
    select
        value_id,
        identifier_type,
        identifier_value,
        record_count,
        source_count,
        max_co_values,
        cap,
        unusable_reason,
        unusable_reason is null as is_usable,
        carriers_checksum
    from assessed
),

final as (
    {%- if is_incremental() %}
        select
            current_assessment.*,
            case
                when previous.value_id is null
                    or current_assessment.unusable_reason is distinct from previous.unusable_reason
                    then {{ cdp.run_started_at_timestamp() }}
                else previous.usability_changed_at
            end as usability_changed_at,
            {{ cdp.run_started_at_timestamp() }} as assessed_at
        from current_assessment
        left join {{ this }} as previous on current_assessment.value_id = previous.value_id
        where previous.value_id is null
            or current_assessment.record_count <> previous.record_count
            or current_assessment.source_count <> previous.source_count
            or current_assessment.max_co_values <> previous.max_co_values
            or current_assessment.cap is distinct from previous.cap
            or current_assessment.unusable_reason is distinct from previous.unusable_reason
            or current_assessment.carriers_checksum <> previous.carriers_checksum

        union all

        -- values no longer carried by any record: zero counts, deleted by the post-hook
        select
            previous.value_id,
            previous.identifier_type,
            previous.identifier_value,
            0 as record_count,
            0 as source_count,
            0 as max_co_values,
            previous.cap,
            previous.unusable_reason,
            previous.is_usable,
            previous.carriers_checksum,
            {{ cdp.run_started_at_timestamp() }} as usability_changed_at,
            {{ cdp.run_started_at_timestamp() }} as assessed_at
        from {{ this }} as previous
        inner join values_to_assess on previous.value_id = values_to_assess.value_id
        left join current_assessment on previous.value_id = current_assessment.value_id
        where current_assessment.value_id is null
    {%- else %}
        select
            *,
            {{ cdp.run_started_at_timestamp() }} as usability_changed_at,
            {{ cdp.run_started_at_timestamp() }} as assessed_at
        from current_assessment
    {%- endif %}
)

select * from final
