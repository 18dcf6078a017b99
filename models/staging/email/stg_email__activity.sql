{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='email_activity_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_email__activity_deliveries') }}
with activity as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_email__activity_deliveries'), 'email_activity_id', [
            'email_activity_id',
            'email',
            'campaign_id',
            'activity_type',
            'occurred_at'
            ]) }}
    {% else %}
        select * from {{ ref('base_email__activity') }}
        where rejection_reason is null
    {% endif %}
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized
    from activity
),

final as (
    select
        email_activity_id,
        email,
        email_normalized,
        {{ cdp.email_invalid_reason('email_normalized') }} as email_invalid_reason,
        campaign_id,
        activity_type,
        occurred_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from normalized
)

select * from final
