# Monad execution events gateway.
#
# The validator writes its event ring on a hugetlbfs mount; mount that directory into the container
# read-only and point the gateway at it, e.g.
#   docker run --rm -p 8443:8443 \
#     -v /var/lib/hugetlbfs/user/monad/pagesize-2MB:/var/lib/hugetlbfs/user/monad/pagesize-2MB:ro \
#     --ipc=host monad-gateway serve --ring /var/lib/hugetlbfs/user/monad/pagesize-2MB/event-rings/monad-exec-events
# The container user must be able to read the ring file (the daemon creates it mode 0664: add the
# container user to the ring's group with --group-add <gid>). Writer liveness reads /proc/locks, which
# needs --pid=host to see the validator's pid. Without a node, run the embedded simulator: `sim`.

FROM node:20-bookworm AS build
WORKDIR /app
# The addon is C built by node-gyp against this Node's headers; python3, make and g++ come with the image.
COPY package.json package-lock.json tsconfig.json ./
COPY native ./native
COPY gateway ./gateway
COPY contracts ./contracts
COPY sdk-ts ./sdk-ts
COPY clients ./clients
# npm install with the lockfile, not npm ci: the registry lacks anvil's other-platform optional
# packages, so no lockfile satisfies npm ci (see gateway/scripts/ensure-installed.sh). `prepare` builds
# the SDK, the relay and agent packages, the gateway and the dashboard bundle.
RUN npm install --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
# libzstd1 (snapshots) is part of the base image; nothing else is needed at run time.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/native/package.json /app/native/index.cjs /app/native/index.d.ts ./native/
COPY --from=build /app/native/build/Release/monad_ring.node ./native/build/Release/
COPY --from=build /app/sdk-ts/package.json ./sdk-ts/
COPY --from=build /app/sdk-ts/dist ./sdk-ts/dist
COPY --from=build /app/clients/webhook-relay/package.json ./clients/webhook-relay/
COPY --from=build /app/clients/webhook-relay/dist ./clients/webhook-relay/dist
COPY --from=build /app/clients/sla-agent/package.json ./clients/sla-agent/
COPY --from=build /app/clients/sla-agent/dist ./clients/sla-agent/dist
COPY --from=build /app/gateway/bin ./gateway/bin
COPY --from=build /app/gateway/dist ./gateway/dist
# ABI + bytecode for `monad-gateway contracts deploy`.
COPY --from=build /app/contracts/artifacts ./contracts/artifacts
RUN groupadd --system monad && useradd --system --gid monad --home /app --shell /usr/sbin/nologin monad
USER monad
ENV NODE_ENV=production
EXPOSE 8443
ENTRYPOINT ["node", "/app/gateway/bin/monad-gateway.js"]
CMD ["--help"]
