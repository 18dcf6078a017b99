{#
    Current consent of every known customer for every purpose in var('cdp_consent_purposes').
    The latest consent event wins; on the same instant a withdrawal or denial beats a grant.
    No event at all is 'unknown', which is not consent: only 'granted' sets is_consented.
    Consent events reach a customer through the identifier they name (email or phone).
#}
with consent_events as (
    select * from {{ ref('stg_privacy__consent_events') }}
),

attributed_records as (
    select * from {{ ref('int_records__attributed') }}
    where source = 'consent_events' and customer_id is not null
),

known_customers as (
    select * from {{ ref('int_identity__known_customers') }}
),

purposes as (
    {% for purpose in var('cdp_consent_purposes') -%}
        select '{{ purpose }}' as purpose
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

events_ranked as (
    select
        attributed_records.customer_id,
        consent_events.purpose,
        consent_events.consent_status,
        consent_events.capture_source,
        consent_events.occurred_at,
        row_number() over (
            partition by attributed_records.customer_id, consent_events.purpose
            order by
                consent_events.occurred_at desc,
                case consent_events.consent_status when 'withdrawn' then 1 when 'denied' then 2 else 3 end,
                consent_events.consent_event_id asc
        ) as recency_rank
    from consent_events
    inner join attributed_records on consent_events.consent_event_id = attributed_records.source_record_id
),

final as (
    select
        known_customers.customer_id,
        purposes.purpose,
        coalesce(events_ranked.consent_status, 'unknown') as consent_status,
        coalesce(events_ranked.consent_status = 'granted', false) as is_consented,
        events_ranked.capture_source,
        events_ranked.occurred_at as consent_updated_at
    from known_customers
    cross join purposes
    left join events_ranked
        on known_customers.customer_id = events_ranked.customer_id
        and purposes.purpose = events_ranked.purpose
        and events_ranked.recency_rank = 1
)

select * from final
