/**
 * Webhook delivery of key events (API.md §10): Standard Webhooks signatures, an HTTP client that refuses private
 * addresses on the address it actually connects to, the retry schedule, and the sender that turns the store's event
 * stream into deliveries on its own bounded threads, so the admin API never waits for a receiver.
 */
@NullMarked
package dev.latchkey.admin.webhooks;

import org.jspecify.annotations.NullMarked;
