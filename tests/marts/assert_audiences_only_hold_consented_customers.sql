-- An audience for a purpose holds only customers who granted that purpose, and the ad
-- audience nobody who asked not to have their data sold or shared.
with consents as (
    select * from {{ ref('customer_consents') }}
),

violations as (
    select
        'audience_churn_win_back_email' as audience,
        audience.customer_id
    from {{ ref('audience_churn_win_back_email') }} as audience
    left join consents
        on audience.customer_id = consents.customer_id
        and consents.purpose = 'email_marketing'
    where not coalesce(consents.is_consented, false)

    union all

    select
        'audience_ad_suppression' as audience,
        audience.customer_id
    from {{ ref('audience_ad_suppression') }} as audience
    left join consents
        on audience.customer_id = consents.customer_id
        and consents.purpose = 'personalized_ads'
    inner join {{ ref('customers') }} as customers on audience.customer_id = customers.customer_id
    where not coalesce(consents.is_consented, false) or customers.has_do_not_sell_request
)

select * from violations
