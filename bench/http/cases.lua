-- wrk script: each request takes the next case of a list, so that a
-- verification is never asked twice of one case (a verified case is not
-- verified again) and lookups spread over many cases. A thread whose
-- share of a verification list is used up stops (wrk then measures the
-- time until the last thread stopped); the few requests its connections
-- still send go to /api/v1/health and are not counted.
--   WRK_CASES   file with one case number a line
--   WRK_TOKEN   session token (Authorization: Bearer)
--   WRK_ACTION  "lookup" (GET the case) or "verify" (POST .../verify)
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
end

function init(args)
    cases = {}
    for line in io.lines(os.getenv("WRK_CASES")) do
        table.insert(cases, line)
    end
    nthreads = tonumber(os.getenv("WRK_THREADS"))
    action = os.getenv("WRK_ACTION")
    token = os.getenv("WRK_TOKEN")
    index = tid
    body = '{"reason":"bench"}'
    headers = {["Authorization"] = "Bearer " .. token,
               ["Content-Type"] = "application/json"}
end

function request()
    if action == "verify" then
        if index > #cases then
            return wrk.format("GET", "/api/v1/health")
        end
        local no = cases[index]
        index = index + nthreads
        return wrk.format("POST", "/api/v1/cases/" .. no .. "/verify",
                          headers, body)
    end
    local no = cases[((index - 1) % #cases) + 1]
    index = index + nthreads
    return wrk.format("GET", "/api/v1/cases/" .. no, headers)
end

function response(status, headers, body)
    if action == "verify" and index > #cases then
        exhausted = 1
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local used_up = 0
    for _, t in ipairs(threads) do
        if t:get("exhausted") == 1 then used_up = 1 end
    end
    io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f " ..
                           "p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d " ..
                           "used_up=%d\n",
        summary.requests, summary.duration / 1e6,
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status, summary.errors.connect +
        summary.errors.read + summary.errors.write + summary.errors.timeout,
        used_up))
end
