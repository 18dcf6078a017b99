{#
    Export for the email service's win-back journey: customers in the win_back or at_risk
    churn segment who granted email_marketing consent (unknown is not consent) and have an
    email. Erased customers are not customers any more, so they never appear.
#}
with customers as (
    select * from {{ ref('customers') }}
),

consents as (
    select * from {{ ref('customer_consents') }}
    where purpose = 'email_marketing' and is_consented
),

final as (
    select
        customers.customer_id,
        customers.email,
        customers.first_name,
        customers.churn_segment,
        customers.churn_risk_score,
        customers.lifetime_revenue,
        customers.last_order_at,
        consents.consent_updated_at as email_consent_granted_at,
        customers.as_of_date
    from customers
    inner join consents on customers.customer_id = consents.customer_id
    where customers.churn_segment in ('win_back', 'at_risk')
        and customers.email is not null
)

select * from final
