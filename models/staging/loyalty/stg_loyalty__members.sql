with members as (
    select * from {{ ref('base_loyalty__members') }}
    where rejection_reason is null
),

final as (
    select
        loyalty_card_id,
        email,
        phone,
        first_name,
        last_name,
        postal_code,
        date_of_birth_raw,
        enrolled_at,
        updated_at,
        _loaded_at
    from members
)

select * from final
