-- users/show with an app-only bearer token ($BEARER), the same request every time.
local target = os.getenv("TARGET_PATH")
local bearer = os.getenv("BEARER")
request = function()
  return wrk.format("GET", target, {["Authorization"] = "Bearer " .. bearer})
end
