-- The database's owner need not be a superuser (only CREATEROLE): it must then be a
-- member of codaiq_inbox_app to SET ROLE to it, which a superuser never needed.
GRANT codaiq_inbox_app TO CURRENT_USER;
