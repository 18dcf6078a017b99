with source as (
    select * from {{ source('crm', 'crm_accounts') }}
),

renamed as (
    select
        {{ cdp.clean_text('account_id') }} as crm_account_id,
        {{ cdp.clean_text('account_name') }} as account_name,
        lower({{ cdp.clean_text('industry') }}) as industry,
        {{ cdp.clean_text('country') }} as country,
        {{ cdp.to_timestamp('created_at') }} as created_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('crm', 'crm_accounts')) }} as _delivery_fingerprint
    from source
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('crm_account_id', cdp.delivery_order('updated_at', valid_first=false)) }}
            as _delivery_rank,
        min(_loaded_at) over (partition by crm_account_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('crm_account_id') }} as rejection_reason
from ranked
