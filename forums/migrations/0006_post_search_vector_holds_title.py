"""Each post's search vector holds its thread's title (weight A) beside its own body
(weight B), so a search matches a post as one document: words may sit in either,
and a word excluded with "-" in either leaves the post out. Before, the title and
the body were matched apart: "facebook pre-election" found nothing when "Facebook"
was in the title and "pre-election" in the post, and "social -facebook" still found
posts in threads titled "... Facebook ...".

A generated column can only read its own row, so PostgreSQL triggers keep it now:
a post written or moved works out its own vector, and a thread renamed has its
posts work theirs out again. The column, its index and its statistics stay; only
how it is kept changes."""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

FORWARD = r"""
ALTER TABLE forums_post ALTER COLUMN search_vector DROP EXPRESSION;

CREATE FUNCTION forums_post_search_document(title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B');
$$;

-- Every post's vector at once: the index is built again afterwards (far quicker than
-- updating it row by row), and content versions pause, then every community's moves
-- on once (the search pages kept under them show what changed).
DROP INDEX post_search_idx;
SET LOCAL commsnet.versions_paused = 'on';
UPDATE forums_post AS post SET search_vector = forums_post_search_document(thread.title, post.body)
    FROM forums_thread AS thread WHERE thread.id = post.thread_id;
SET LOCAL commsnet.versions_paused = 'off';
UPDATE communities_community SET content_version = content_version + 1;
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX post_search_idx ON forums_post USING gin (search_vector) WITH (fastupdate = off);
ANALYZE forums_post;

-- Any write that could change it (Django writes the column too) works it out again.
-- The title is read locked, as the content-version trigger locks the thread anyway: a
-- post written while its thread is being renamed waits, and gets the new title (a
-- plain read would get the old one, and the rename would never see the new post).
CREATE FUNCTION forums_post_set_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := forums_post_search_document(
        (SELECT title FROM forums_thread WHERE id = NEW.thread_id FOR NO KEY UPDATE), NEW.body
    );
    RETURN NEW;
END $$;
CREATE TRIGGER post_search_vector BEFORE INSERT OR UPDATE OF body, thread_id, search_vector ON forums_post
    FOR EACH ROW EXECUTE FUNCTION forums_post_set_search_vector();

-- A thread renamed: its posts' own trigger works out each vector again. The rename
-- has moved the content versions on once already; each post must not move them again.
CREATE FUNCTION forums_thread_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    paused text := current_setting('commsnet.versions_paused', true);
BEGIN
    PERFORM set_config('commsnet.versions_paused', 'on', true);
    UPDATE forums_post SET search_vector = NULL WHERE thread_id = NEW.id;
    PERFORM set_config('commsnet.versions_paused', COALESCE(paused, 'off'), true);
    RETURN NULL;
END $$;
CREATE TRIGGER thread_renamed AFTER UPDATE OF title ON forums_thread
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION forums_thread_renamed();
"""

# Back to the body alone, generated as before, with the index and statistics that
# migrations 0004 and 0005 gave it.
REVERSE = r"""
DROP TRIGGER thread_renamed ON forums_thread;
DROP FUNCTION forums_thread_renamed();
DROP TRIGGER post_search_vector ON forums_post;
DROP FUNCTION forums_post_set_search_vector();
DROP FUNCTION forums_post_search_document(text, text);
ALTER TABLE forums_post DROP COLUMN search_vector;
ALTER TABLE forums_post ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')) STORED;
CREATE INDEX post_search_idx ON forums_post USING gin (search_vector) WITH (fastupdate = off);
ALTER TABLE forums_post ALTER COLUMN search_vector SET STATISTICS 1000;
ANALYZE forums_post;
UPDATE communities_community SET content_version = content_version + 1;
"""


class Migration(migrations.Migration):
    dependencies = [("forums", "0005_search_indexes_without_pending_list")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(sql=FORWARD, reverse_sql=REVERSE)],
            state_operations=[
                migrations.AlterField(
                    model_name="post",
                    name="search_vector",
                    field=SearchVectorField(editable=False, null=True),
                )
            ],
        )
    ]
