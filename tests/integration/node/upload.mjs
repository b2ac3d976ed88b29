// Drives twitter-api-v2 (unmodified) against Portrait over plain HTTP or HTTPS.
// usage: node upload.mjs BASE_URL CREDENTIALS_JSON IMAGE_FILE
//   (over https, NODE_EXTRA_CA_CERTS names the certificate to trust)
// Prints one JSON object: {before, returned, after, user}; exits non-zero on any failure.
import fs from 'node:fs';
import http from 'node:http';
import { TwitterApi } from 'twitter-api-v2';

const [baseUrl, credentialsJson, imageFile] = process.argv.slice(2);
const credentials = JSON.parse(credentialsJson);
const client = new TwitterApi(
  {
    appKey: credentials.consumer_key,
    appSecret: credentials.consumer_secret,
    accessToken: credentials.access_token,
    accessSecret: credentials.access_token_secret,
  },
  // The library always calls https.request; a plain-HTTP base URL needs an http.Agent.
  baseUrl.startsWith('http:') ? { httpAgent: new http.Agent() } : {},
);
const v1 = withPrefix(client.v1, `${baseUrl}/1.1/`);

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

const before = (await v1.verifyCredentials()).profile_image_url_https;
const returned = await v1.updateAccountProfileImage(fs.readFileSync(imageFile));
let user = await v1.verifyCredentials();
const deadline = Date.now() + 10_000;
while (user.profile_image_url_https === before && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  user = await v1.verifyCredentials();
}
console.log(JSON.stringify({ before, returned, after: user.profile_image_url_https, user }));
