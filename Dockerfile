# chordkv peer image: build with the full toolchain, run on a slim LTS Node.
#   docker build -t chordkv .
#   docker network create chordkv
#   docker run -d --name chordkv-1 --network chordkv -v chordkv-1:/data -e CHORDKV_ANNOUNCE=/dns4/chordkv-1/tcp/4001 chordkv
# Peers find each other by name only on a user-defined network (--network),
# not on Docker's default bridge. The peer runs as node (uid 1000): a
# bind-mounted /data must be writable by uid 1000 (chown 1000:1000 DIR).
# README.md, "Running in containers", has the whole sequence and Compose.

FROM node:24-bookworm-slim AS build
# Docker's classic builder leaves this stage behind as an untagged image;
# the label finds it (docker image prune --filter label=org.chordkv.stage=build).
LABEL org.chordkv.stage=build
WORKDIR /app
COPY package.json package-lock.json ./
# Everything, TypeScript's native compiler included (it is an optional dependency).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json bundle.mjs ./
COPY src ./src
# The peer runs the one-file build (dist/bundle): its own memory at rest is
# about a third less than as the modules it is made of.
RUN npx tsc -p tsconfig.build.json && npm run bundle

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: no bundled Node.js (the image has one), and
# LevelDB loads its prebuilt binary, so nothing compiles.
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/bundle ./dist/bundle
COPY bin ./bin
COPY config ./config
RUN ln -s /app/bin/chordkv /usr/local/bin/chordkv \
  && mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# Listen on every interface; set CHORDKV_ANNOUNCE to the address other peers
# should dial (e.g. /dns4/<container name>/tcp/4001) and CHORDKV_BOOTSTRAP
# to one or more ring members. Every setting has a CHORDKV_… variable.
ENV CHORDKV_DATA_DIR=/data \
    CHORDKV_LISTEN=/ip4/0.0.0.0/tcp/4001
EXPOSE 4001
# Healthy = alive: the peer answers on its control socket, whatever its ring
# state (joining, or alone waiting for others, is alive). Docker Swarm
# replaces unhealthy tasks and lists only healthy ones in tasks.<service>,
# so "can take writes" here would keep a ring from ever forming; that is
# what `chordkv health` (and the probe without --live, Kubernetes'
# readiness) answers. The probe is one control-socket request from a script
# that loads nothing but Node's built-ins.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/dist/src/cli/health-probe.js", "--live"]
# SIGTERM (docker stop) makes the peer hand its keys to its successor and leave;
# give it time: docker stop -t 30.
STOPSIGNAL SIGTERM
ENTRYPOINT ["chordkv"]
CMD ["start"]
