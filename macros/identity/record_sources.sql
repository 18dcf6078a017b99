{#
    The raw tables whose records the identity layer resolves (the `source` of
    int_identity__source_records and of every model keyed like it), in alphabetical order.
    Models that need one column per source read it here, like the customers mart's
    `source_systems`. int_identity__source_records stops compiling if its mapping names
    another set, so adding a source there means adding it here.
#}
{% macro identity_record_sources() -%}
    {{ return([
        'consent_events', 'crm_contacts', 'email_activity', 'loyalty_members', 'pos_transactions',
        'privacy_requests', 'shop_customers', 'shop_orders', 'support_tickets', 'tracking_events',
    ]) }}
{%- endmacro %}
