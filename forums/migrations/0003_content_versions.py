"""Content versions, kept by PostgreSQL: any write that changes what a community's or
a thread's pages show moves its `content_version` on, whichever code (or person at a
psql prompt) made it. Cached pages are keyed by these versions, so they can never
outlive what they show. Only core PL/pgSQL: the embedded server has no extensions.

A bulk load of fresh data (seed_scale) pauses them for its transaction with
SET LOCAL commsnet.versions_paused = 'on'."""

from django.db import migrations, models

FORWARD = r"""
-- A row's own version moves on with any change to it.
CREATE FUNCTION commsnet_bump_own_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NEW; END IF;
    NEW.content_version := OLD.content_version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER community_bump_own_version BEFORE UPDATE ON communities_community
    FOR EACH ROW EXECUTE FUNCTION commsnet_bump_own_version();
CREATE TRIGGER thread_bump_own_version BEFORE UPDATE ON forums_thread
    FOR EACH ROW EXECUTE FUNCTION commsnet_bump_own_version();

CREATE FUNCTION commsnet_bump_community(community bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE communities_community SET content_version = content_version + 1 WHERE id = community;
$$;
CREATE FUNCTION commsnet_bump_thread(thread bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE forums_thread SET content_version = content_version + 1 WHERE id = thread;
$$;

-- A thread added, changed, moved or deleted: its community (old and new) moves on.
CREATE FUNCTION commsnet_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM commsnet_bump_community(OLD.community_id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.community_id IS DISTINCT FROM OLD.community_id) THEN
        PERFORM commsnet_bump_community(NEW.community_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER thread_changed AFTER INSERT OR UPDATE OR DELETE ON forums_thread
    FOR EACH ROW EXECUTE FUNCTION commsnet_thread_changed();

-- A post added, changed, moved or deleted: its thread (old and new) moves on.
CREATE FUNCTION commsnet_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM commsnet_bump_thread(OLD.thread_id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.thread_id IS DISTINCT FROM OLD.thread_id) THEN
        PERFORM commsnet_bump_thread(NEW.thread_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER post_changed AFTER INSERT OR UPDATE OR DELETE ON forums_post
    FOR EACH ROW EXECUTE FUNCTION commsnet_post_changed();

-- An attachment added, changed, moved or removed: its posts' threads move on.
CREATE FUNCTION commsnet_attachment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM commsnet_bump_thread(thread_id) FROM forums_post WHERE id = OLD.post_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM commsnet_bump_thread(thread_id) FROM forums_post WHERE id = NEW.post_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER attachment_changed AFTER INSERT OR UPDATE OR DELETE ON forums_attachment
    FOR EACH ROW EXECUTE FUNCTION commsnet_attachment_changed();

-- A membership added, changed or removed: its community moves on (facilitators, counts).
CREATE FUNCTION commsnet_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM commsnet_bump_community(OLD.community_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM commsnet_bump_community(NEW.community_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER membership_changed AFTER INSERT OR UPDATE OR DELETE ON communities_membership
    FOR EACH ROW EXECUTE FUNCTION commsnet_membership_changed();

-- Tagging or untagging a thread or a community moves it on.
CREATE FUNCTION commsnet_bump_tagged(content_type integer, object bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF content_type = (SELECT id FROM django_content_type WHERE app_label = 'forums' AND model = 'thread') THEN
        PERFORM commsnet_bump_thread(object);
    ELSIF content_type = (SELECT id FROM django_content_type WHERE app_label = 'communities' AND model = 'community') THEN
        PERFORM commsnet_bump_community(object);
    END IF;
END $$;
CREATE FUNCTION commsnet_tagging_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM commsnet_bump_tagged(OLD.content_type_id, OLD.object_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM commsnet_bump_tagged(NEW.content_type_id, NEW.object_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tagging_changed AFTER INSERT OR UPDATE OR DELETE ON taggit_taggeditem
    FOR EACH ROW EXECUTE FUNCTION commsnet_tagging_changed();

-- A tag renamed: everything tagged with it moves on.
CREATE FUNCTION commsnet_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM commsnet_bump_tagged(item.content_type_id, item.object_id)
        FROM taggit_taggeditem item WHERE item.tag_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER tag_renamed AFTER UPDATE OF name, slug ON taggit_tag
    FOR EACH ROW EXECUTE FUNCTION commsnet_tag_renamed();

-- A member renamed, suspended, erased or given a new photo: the threads they wrote in
-- and the communities they belong to move on (pages show their name and profile link).
CREATE FUNCTION commsnet_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('commsnet.versions_paused', true) = 'on' THEN RETURN NULL; END IF;
    UPDATE forums_thread SET content_version = content_version + 1
        WHERE author_id = NEW.id OR id IN (SELECT thread_id FROM forums_post WHERE author_id = NEW.id);
    UPDATE communities_community SET content_version = content_version + 1
        WHERE id IN (SELECT community_id FROM communities_membership WHERE user_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER person_changed AFTER UPDATE ON members_user FOR EACH ROW
    WHEN (
        OLD.display_name IS DISTINCT FROM NEW.display_name
        OR OLD.first_name IS DISTINCT FROM NEW.first_name
        OR OLD.last_name IS DISTINCT FROM NEW.last_name
        OR OLD.username IS DISTINCT FROM NEW.username
        OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.avatar IS DISTINCT FROM NEW.avatar
        OR OLD.erased_at IS DISTINCT FROM NEW.erased_at
        OR OLD.is_active IS DISTINCT FROM NEW.is_active
    )
    EXECUTE FUNCTION commsnet_person_changed();
"""

REVERSE = r"""
DROP TRIGGER person_changed ON members_user;
DROP FUNCTION commsnet_person_changed();
DROP TRIGGER tag_renamed ON taggit_tag;
DROP FUNCTION commsnet_tag_renamed();
DROP TRIGGER tagging_changed ON taggit_taggeditem;
DROP FUNCTION commsnet_tagging_changed();
DROP FUNCTION commsnet_bump_tagged(integer, bigint);
DROP TRIGGER membership_changed ON communities_membership;
DROP FUNCTION commsnet_membership_changed();
DROP TRIGGER attachment_changed ON forums_attachment;
DROP FUNCTION commsnet_attachment_changed();
DROP TRIGGER post_changed ON forums_post;
DROP FUNCTION commsnet_post_changed();
DROP TRIGGER thread_changed ON forums_thread;
DROP FUNCTION commsnet_thread_changed();
DROP FUNCTION commsnet_bump_thread(bigint);
DROP FUNCTION commsnet_bump_community(bigint);
DROP TRIGGER thread_bump_own_version ON forums_thread;
DROP TRIGGER community_bump_own_version ON communities_community;
DROP FUNCTION commsnet_bump_own_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_communityforumsettings_attachment_helpfulmark_and_more"),
        ("communities", "0003_content_version"),
        ("members", "0002_profiles_eligibility_erasure"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="content_version",
            field=models.BigIntegerField(db_default=0, editable=False),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
