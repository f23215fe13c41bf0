-- wrk script of the list benchmark: one GET, again and again, as one user.
--   WRK_PATH    the path with its query (/api/v1/cases?page_size=50&...)
--   WRK_TOKEN   session token (Authorization: Bearer)
--   WRK_PAGES   when set, each request asks for a page drawn at random
--               from 1 to WRK_PAGES (appended as &page=N)
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
end

function init(args)
    path = os.getenv("WRK_PATH")
    pages = tonumber(os.getenv("WRK_PAGES") or "") or 0
    headers = {["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")}
    math.randomseed(2026 + tid)
end

function request()
    if pages > 0 then
        return wrk.format("GET", path .. "&page=" .. math.random(1, pages),
                          headers)
    end
    return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
    io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f " ..
                           "p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
        summary.requests, summary.duration / 1e6,
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status, summary.errors.connect +
        summary.errors.read + summary.errors.write + summary.errors.timeout))
end
