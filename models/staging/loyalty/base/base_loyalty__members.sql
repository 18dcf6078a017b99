with source as (
    select * from {{ source('loyalty', 'loyalty_members') }}
),

renamed as (
    select
        {{ cdp.clean_text('loyalty_card_id') }} as loyalty_card_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('phone') }} as phone,
        {{ cdp.clean_text('first_name') }} as first_name,
        {{ cdp.clean_text('last_name') }} as last_name,
        {{ cdp.clean_text('postal_code') }} as postal_code,
        {{ cdp.clean_text('date_of_birth') }} as date_of_birth_raw,
        {{ cdp.to_timestamp('enrolled_at') }} as enrolled_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('loyalty_card_id', 'updated_at desc nulls last, _loaded_at desc') }}
            as _delivery_rank,
        min(_loaded_at) over (partition by loyalty_card_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('loyalty_card_id') }} as rejection_reason
from ranked
