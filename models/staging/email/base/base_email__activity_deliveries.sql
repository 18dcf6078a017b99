{#
    Every raw delivery of email activity, renamed, typed and checked (`_invalid_reason`), one
    row per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('email', 'email_activity') }}
),

renamed as (
    select
        {{ cdp.clean_text('activity_id') }} as email_activity_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('campaign_id') }} as campaign_id,
        lower({{ cdp.clean_text('activity_type') }}) as activity_type,
        {{ cdp.to_timestamp('occurred_at') }} as occurred_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('email', 'email_activity')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when occurred_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('occurred_at') }} then 'future_timestamp'
            when email is null then 'invalid_email'
            when {{ cdp.email_invalid_reason(cdp.normalize_email('email')) }} is not null then 'invalid_email'
        end as _invalid_reason
    from renamed
)

select * from validated
