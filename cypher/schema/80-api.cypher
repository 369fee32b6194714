// API labels (issue 14): API keys, looked up by their public id on every authenticated request.
CREATE CONSTRAINT apikey_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
