// Drives one twitter-api-v2 (unmodified) v1 call against Portrait over plain HTTP.
// usage: node profile.mjs BASE_URL CREDENTIALS_JSON METHOD ARGUMENTS_JSON
//   METHOD: users, updateAccountProfile, updateAccountProfileBanner (ARGUMENTS_JSON:
//   {"file": PATH, "options": {...}}), userProfileBannerSizes, removeAccountProfileBanner
// Prints one JSON object: {"result": ...} or {"error": {"code": HTTP status, "data": body}}.
import fs from 'node:fs';
import http from 'node:http';
import { TwitterApi } from 'twitter-api-v2';

const [baseUrl, credentialsJson, method, argumentsJson] = process.argv.slice(2);
const credentials = JSON.parse(credentialsJson);
const args = JSON.parse(argumentsJson || '{}');
const client = new TwitterApi(
  {
    appKey: credentials.consumer_key,
    appSecret: credentials.consumer_secret,
    accessToken: credentials.access_token,
    accessSecret: credentials.access_token_secret,
  },
  { httpAgent: new http.Agent() },
);

function withPrefix(subClient, prefix) {
  try {
    return subClient.cloneWithPrefix(prefix);
  } catch (error) {
    // twitter-api-v2 1.29.x: cloneWithPrefix calls the class constructor without `new`.
    if (!(error instanceof TypeError)) throw error;
  }
  const clone = new subClient.constructor(subClient);
  clone.setPrefix(prefix);
  return clone;
}
const v1 = withPrefix(client.v1, `${baseUrl}/1.1/`);

const calls = {
  users: () => v1.users(args),
  updateAccountProfile: () => v1.updateAccountProfile(args),
  updateAccountProfileBanner: () =>
    v1.updateAccountProfileBanner(fs.readFileSync(args.file), args.options || {}),
  userProfileBannerSizes: () => v1.userProfileBannerSizes(args),
  removeAccountProfileBanner: () => v1.removeAccountProfileBanner(),
};
try {
  console.log(JSON.stringify({ result: (await calls[method]()) ?? null }));
} catch (error) {
  if (error.code === undefined) throw error;
  console.log(JSON.stringify({ error: { code: error.code, data: error.data ?? null } }));
}
