// Purpose: the server's user-defined (plugin) functions, which the read-only console refuses to call. Params: none. Result: name.
SHOW FUNCTIONS YIELD name, isBuiltIn
WHERE NOT isBuiltIn
RETURN name
