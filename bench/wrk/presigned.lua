-- Sends pre-signed OAuth requests: $PRESIGNED holds one Authorization header per line, each with
-- its own nonce. Every wrk thread takes its own slice of the file, so no nonce is sent twice
-- unless a thread runs through its slice (bench/run sizes the file so that it does not).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("PRESIGNED")) do all[#all + 1] = line end
  local count = tonumber(os.getenv("WRK_THREADS"))
  local first = math.floor(#all * id / count) + 1
  local last = math.floor(#all * (id + 1) / count)
  mine = {}
  for i = first, last do mine[#mine + 1] = all[i] end
  index = 0
  target = os.getenv("TARGET_PATH")
end

function request()
  index = index % #mine + 1
  return wrk.format("GET", target, {["Authorization"] = mine[index]})
end
