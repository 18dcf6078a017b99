{#
    Match keys of every record that carries something a person can be recognised by
    (names, birth date, address, phone, email), with its deterministic cluster.
    First names are mapped through the nickname seed (Bob -> robert). The email counts by
    its local part without dots, dashes and underscores: the same person's address under a
    mistyped or another domain (diego.mitchell683@gmail.con, diegomitchell683@gmail.com).

    Incremental: a profile depends on the record, its cluster and the usability of its
    phone and email, and int_identity__record_clusters rewrites every record for which one
    of these changed (`clustered_at`). The pre-hook deletes those records' profiles and the
    run writes them again; a record that no longer has a profile is not written back,
    nor is a record that left identity (int_identity__removed_records).
    After editing the nickname seed, run with --full-refresh.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where record_id in ("
            ~ "select record_id from {{ ref('int_identity__record_clusters') }}"
            ~ " where clustered_at = {{ cdp.run_started_at_timestamp() }}"
            ~ " union {{ cdp.identity_removed_records() }}){% endif %}"
        ]
    )
}}
-- depends_on: {{ ref('int_identity__removed_records') }}
with record_clusters as (
    select * from {{ ref('int_identity__record_clusters') }}
    {%- if is_incremental() %}
        where clustered_at = {{ cdp.run_started_at_timestamp() }}
    {%- endif %}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

-- in an incremental run the records' identifiers are picked out before the join to the
-- assessment, which DuckDB otherwise makes over all 11M phones and emails (at 1M)
identifiers {{ cdp.materialized_cte() if is_incremental() else 'as' }} (
    select * from {{ ref('int_identity__identifiers') }}
    {%- if is_incremental() %}
        where record_id in (select record_clusters.record_id from record_clusters)
    {%- endif %}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

usable_contacts as (
    select
        identifiers.record_id,
        max(case when identifiers.identifier_type = 'phone' then identifiers.identifier_value end)
            as phone,
        {%- set mailbox_name = "split_part(identifiers.identifier_value, '@', 1)" %}
        max(
            case
                when identifiers.identifier_type = 'email'
                    then {{ cdp.regex_replace_all(mailbox_name, '[._-]', '') }}
            end
        ) as email_local_key
    from identifiers
    inner join assessment on identifiers.value_id = assessment.value_id
    where assessment.is_usable
        and identifiers.identifier_type in ('phone', 'email')
    group by identifiers.record_id
),

profiles as (
    select
        source_records.record_id,
        source_records.source,
        record_clusters.cluster_id,
        coalesce(nicknames.canonical_name, source_records.first_name_normalized) as first_name_key,
        source_records.last_name_normalized as last_name_key,
        source_records.name_suffix as name_suffix_key,
        source_records.date_of_birth,
        source_records.postal_code_normalized as postal_code_key,
        source_records.street_address_normalized as street_key,
        source_records.city_normalized as city_key,
        usable_contacts.phone,
        usable_contacts.email_local_key
    from source_records
    inner join record_clusters on source_records.record_id = record_clusters.record_id
    left join nicknames on source_records.first_name_normalized = nicknames.nickname
    left join usable_contacts on source_records.record_id = usable_contacts.record_id
    -- a record the identifier guards kept apart (it carries two people's ids) is not
    -- merged back on its profile
    where not record_clusters.has_conflicting_identifiers
),

final as (
    select *
    from profiles
    where first_name_key is not null
        or last_name_key is not null
        or date_of_birth is not null
        or postal_code_key is not null
)

select * from final
