/**
 * The comparison point of scenarios 2 and 4: Fastify answering on Reelay's
 * paths without any work (bodies parsed by Fastify's default parsers,
 * nothing verified, nothing stored). Runs in its own process, like Reelay.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/webhooks/hubspot', async (_request, reply) => reply.code(204).send());
app.get('/v/:token', async (_request, reply) => reply.code(302).header('cache-control', 'no-store').redirect('http://127.0.0.1:9/video.mp4'));
app.post('/v/:token/events', async (_request, reply) => reply.code(204).send());
app.get('/readyz', async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
