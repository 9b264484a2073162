/**
 * Latchkey's production key store on Redis through Lettuce: {@link dev.latchkey.redis.RedisKeyStore} (standalone,
 * Sentinel and Cluster), opened in code through its builder or from a URL through
 * {@link dev.latchkey.redis.RedisKeyStoreProvider}.
 */
@NullMarked
package dev.latchkey.redis;

import org.jspecify.annotations.NullMarked;
