"""The access log is append-only: PostgreSQL refuses UPDATE and DELETE on its rows."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION casework_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_accesslog is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER casework_accesslog_append_only
    BEFORE UPDATE OR DELETE ON casework_accesslog
    FOR EACH ROW EXECUTE FUNCTION casework_accesslog_refuse_change();
"""

BACKWARD = """
DROP TRIGGER casework_accesslog_append_only ON casework_accesslog;
DROP FUNCTION casework_accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
