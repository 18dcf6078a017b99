{#
    One row per raw contract table: its base model, staging model and record key, and for
    the incrementally staged sources the model of their raw deliveries (`deliveries`,
    ranked by cdp.ranked_deliveries, on `updated_at` first where given; `key_as_delivered`
    when that model carries the raw key uncleaned, for cheap incremental scoping). The two
    sources without `deliveries` (CRM accounts, privacy requests: thousands of rows) are
    staged whole on every run. Used by stg_quality__rejected_rows and the reconciliation
    test so that adding a source means adding one line here.
#}
{% macro staged_sources() -%}
    {{ return([
        {'source': 'crm', 'table': 'crm_contacts', 'base': 'base_crm__contacts', 'stg': 'stg_crm__contacts', 'key': 'crm_contact_id', 'deliveries': 'base_crm__contact_deliveries', 'updated_at': 'updated_at'},
        {'source': 'crm', 'table': 'crm_accounts', 'base': 'base_crm__accounts', 'stg': 'stg_crm__accounts', 'key': 'crm_account_id'},
        {'source': 'shop', 'table': 'shop_customers', 'base': 'base_shop__customers', 'stg': 'stg_shop__customers', 'key': 'shop_customer_id', 'deliveries': 'base_shop__customer_deliveries', 'updated_at': 'updated_at'},
        {'source': 'shop', 'table': 'shop_orders', 'base': 'base_shop__orders', 'stg': 'stg_shop__orders', 'key': 'order_id', 'deliveries': 'base_shop__order_deliveries', 'updated_at': 'updated_at'},
        {'source': 'shop', 'table': 'shop_order_items', 'base': 'base_shop__order_items', 'stg': 'stg_shop__order_items', 'key': 'order_item_id', 'deliveries': 'base_shop__order_item_deliveries'},
        {'source': 'tracking', 'table': 'tracking_events', 'base': 'base_tracking__events', 'stg': 'stg_tracking__events', 'key': 'message_id', 'deliveries': 'base_tracking__event_deliveries', 'key_as_delivered': true},
        {'source': 'pos', 'table': 'pos_transactions', 'base': 'base_pos__transactions', 'stg': 'stg_pos__transactions', 'key': 'pos_transaction_id', 'deliveries': 'base_pos__transaction_deliveries'},
        {'source': 'loyalty', 'table': 'loyalty_members', 'base': 'base_loyalty__members', 'stg': 'stg_loyalty__members', 'key': 'loyalty_card_id', 'deliveries': 'base_loyalty__member_deliveries', 'updated_at': 'updated_at'},
        {'source': 'support', 'table': 'support_tickets', 'base': 'base_support__tickets', 'stg': 'stg_support__tickets', 'key': 'support_ticket_id', 'deliveries': 'base_support__ticket_deliveries'},
        {'source': 'email', 'table': 'email_activity', 'base': 'base_email__activity', 'stg': 'stg_email__activity', 'key': 'email_activity_id', 'deliveries': 'base_email__activity_deliveries'},
        {'source': 'privacy', 'table': 'consent_events', 'base': 'base_privacy__consent_events', 'stg': 'stg_privacy__consent_events', 'key': 'consent_event_id', 'deliveries': 'base_privacy__consent_event_deliveries'},
        {'source': 'privacy', 'table': 'privacy_requests', 'base': 'base_privacy__requests', 'stg': 'stg_privacy__requests', 'key': 'privacy_request_id'},
    ]) }}
{%- endmacro %}
