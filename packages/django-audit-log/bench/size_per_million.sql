-- One million audit entries shaped like a tracked update made in a request, then the sizes.
INSERT INTO django_audit_log_auditlog (id, created_at, action, actor_display,
    target_content_type_id, target_id, target_repr, changes, metadata, ip_address, user_agent,
    request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), now() - i * interval '3 seconds',
    (ARRAY['create', 'update', 'delete'])[1 + i % 3], 'user' || (i % 1000),
    (SELECT min(id) FROM django_content_type) + i % 20, (i % 100000)::text, 'Invoice ' || (i % 100000),
    jsonb_build_object('status', jsonb_build_object('old', 'draft', 'new', 'sent'),
                       'amount', jsonb_build_object('old', i % 1000, 'new', i % 1000 + 5)),
    '{}'::jsonb, '10.0.0.1',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    md5(i::text), 'normal', false, md5((i * 7)::text)
FROM generate_series(1, 1000000) AS i;
VACUUM ANALYZE django_audit_log_auditlog;
SELECT pg_size_pretty(pg_relation_size('django_audit_log_auditlog')) AS heap,
       pg_size_pretty(pg_indexes_size('django_audit_log_auditlog')) AS indexes,
       pg_size_pretty(pg_total_relation_size('django_audit_log_auditlog')) AS total;
SELECT indexrelid::regclass AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size
FROM pg_index WHERE indrelid = 'django_audit_log_auditlog'::regclass ORDER BY pg_relation_size(indexrelid) DESC;
