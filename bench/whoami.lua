-- Counts responses per serving worker pid (GET /whoami returns {"pid":N,...}).
-- Each wrk thread has its own Lua state: response() counts in that thread's `counts`,
-- done() (main state) reads every thread's table, prints one line per thread and pid, and the sum.
wrk.path = "/whoami"

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

counts = {}

function response(status, headers, body)
   local pid = body and string.match(body, '"pid"%s*:%s*(%d+)')
   if pid then
      counts[pid] = (counts[pid] or 0) + 1
   else
      counts["none"] = (counts["none"] or 0) + 1
   end
end

function done(summary, latency, requests)
   local total = {}
   for i, thread in ipairs(threads) do
      local c = thread:get("counts")
      for pid, n in pairs(c) do
         io.write(string.format("thread %d pid %s %d\n", i, pid, n))
         total[pid] = (total[pid] or 0) + n
      end
   end
   for pid, n in pairs(total) do
      io.write(string.format("total pid %s %d\n", pid, n))
   end
end
