# syntax=docker/dockerfile:1
# The bot (`npm start` without tsx): our TypeScript is transpiled once with
# esbuild (dependencies stay external, loaded from node_modules), the image
# keeps production dependencies only, and node runs as PID 1 so SIGTERM
# reaches the bot's graceful shutdown. SQLite lives on the /data volume.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# No compiler: better-sqlite3's package ships its prebuilt Node-API binaries, and nothing else is native.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY bot ./bot
RUN npx esbuild bot/main.ts --bundle --platform=node --format=esm --target=node24 \
      --packages=external --sourcemap --outfile=dist/server/main.mjs \
 && cp bot/store/sqlite/writer-thread.cjs dist/server/writer-thread.cjs
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    HANDOFF_DB=/data/handoff.db \
    HANDOFF_CONFIG=/config/handoff.config.yaml
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/server/main.mjs"]
