-- Latchkey forward auth for HAProxy 2.6+ (built with Lua 5.3; Debian's package is).
--
-- Asks Latchkey's gateway service (API.md §11, GET /v1/authorize) before a request goes on:
--   global
--       lua-load /etc/haproxy/latchkey.lua
--   frontend web
--       http-request lua.latchkey_auth http://127.0.0.1:8090
--
-- Allowed: the request goes on with X-Latchkey-Key-Id, -Tenant, -Owner, -Environment and -Scopes set from
-- Latchkey's answer; any X-Latchkey-* header the client sent is removed first, so identity cannot be forged.
-- The RateLimit-Policy and RateLimit headers of an allow are kept in txn.latchkey_ratelimit_policy and
-- txn.latchkey_ratelimit for the config's `http-response set-header` rules.
-- Denied: the client gets Latchkey's status, problem body and headers (WWW-Authenticate, Retry-After, ...).
-- Latchkey unreachable: 503 with Retry-After: 1 (fail closed).
-- The client address Latchkey checks IP rules against is the connecting address (X-Forwarded-For: src), so a
-- client-sent X-Forwarded-For is never believed.

local IDENTITY = {
    "X-Latchkey-Key-Id", "X-Latchkey-Tenant", "X-Latchkey-Owner", "X-Latchkey-Environment", "X-Latchkey-Scopes",
}
-- Headers of a denial that the client sees.
local PASS_BACK = {
    "content-type", "www-authenticate", "retry-after", "x-request-id", "x-content-type-options", "cache-control",
    "ratelimit", "ratelimit-policy",
}
-- Request headers never sent to Latchkey (hop-by-hop, body framing, and the ones this action sets itself).
local SKIP = {
    ["host"] = true, ["connection"] = true, ["content-length"] = true, ["transfer-encoding"] = true,
    ["keep-alive"] = true, ["upgrade"] = true, ["te"] = true, ["expect"] = true,
    ["x-forwarded-for"] = true, ["x-forwarded-method"] = true, ["x-forwarded-uri"] = true,
    ["x-forwarded-host"] = true, ["x-forwarded-proto"] = true,
    -- Latchkey believes Forwarded before X-Forwarded-For from a trusted hop: never pass the client's own.
    ["forwarded"] = true,
}

local function first(values)
    if values == nil then
        return nil
    end
    if values[0] ~= nil then
        return values[0]
    end
    return values[1]
end

-- Response headers by lower-case name.
local function lower_headers(headers)
    local out = {}
    for name, values in pairs(headers or {}) do
        out[string.lower(name)] = values
    end
    return out
end

local function deny(txn, status, headers, body)
    local reply = txn:reply({ status = status, headers = headers, body = body })
    txn:done(reply)
end

core.register_action("latchkey_auth", { "http-req" }, function(txn, latchkey)
    local request = txn.http:req_get_headers()
    local send = {}
    local forged = {}
    for name, values in pairs(request) do
        local lname = string.lower(name)
        if string.sub(lname, 1, 11) == "x-latchkey-" then
            forged[#forged + 1] = name
        elseif not SKIP[lname] then
            local list = {}
            local i = 0
            while values[i] ~= nil do
                list[#list + 1] = values[i]
                i = i + 1
            end
            send[lname] = list
        end
    end
    for _, name in ipairs(forged) do
        txn.http:req_del_header(name)
    end
    send["x-forwarded-method"] = { txn.sf:method() }
    send["x-forwarded-uri"] = { txn.sf:path() }
    send["x-forwarded-for"] = { txn.sf:src() }
    send["x-forwarded-host"] = { first(request["host"]) or "" }
    send["x-forwarded-proto"] = { txn.sf:ssl_fc() == "1" and "https" or "http" }

    local client = core.httpclient()
    local res = client:get({ url = latchkey .. "/v1/authorize", headers = send, timeout = 5000 })
    if res == nil or res.status == nil or res.status == 0 then
        deny(txn, 503, { ["retry-after"] = { "1" }, ["content-type"] = { "application/problem+json" },
            ["x-content-type-options"] = { "nosniff" } },
            '{"type":"urn:latchkey:problem:store_unavailable","title":"Store unavailable","status":503,'
                .. '"code":"store_unavailable","detail":"Latchkey cannot be reached"}')
        return
    end
    local answer = lower_headers(res.headers)
    if res.status == 200 then
        for _, name in ipairs(IDENTITY) do
            txn.http:req_set_header(name, first(answer[string.lower(name)]) or "")
        end
        local policy = first(answer["ratelimit-policy"])
        if policy ~= nil then
            txn:set_var("txn.latchkey_ratelimit_policy", policy)
            txn:set_var("txn.latchkey_ratelimit", first(answer["ratelimit"]) or "")
        end
        return
    end
    local headers = {}
    for _, name in ipairs(PASS_BACK) do
        local v = first(answer[name])
        if v ~= nil then
            headers[name] = { v }
        end
    end
    deny(txn, res.status, headers, res.body or "")
end, 1)
