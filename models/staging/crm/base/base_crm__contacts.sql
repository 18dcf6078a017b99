{#
    Every raw delivery with its rank among the deliveries of the same record and the reason
    it does not reach staging, if any (read by the full build of the staging model and by
    stg_quality__rejected_rows). The latest update wins (`updated_at`).
#}
{{ cdp.ranked_deliveries(
    ref('base_crm__contact_deliveries'), 'crm_contact_id', updated_at='updated_at'
) }}
