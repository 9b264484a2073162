/**
 * The {@code latchkey} command line, in the admin jar: {@code serve} runs the admin service, {@code keys …},
 * {@code tenants …} and {@code verify} drive a running one over HTTP ({@code LATCHKEY_ADMIN_URL},
 * {@code LATCHKEY_ADMIN_TOKEN}), with a table for people and {@code --json} for scripts.
 * {@link dev.latchkey.admin.cli.LatchkeyCli} is the entry point; its exit codes are
 * {@link dev.latchkey.admin.cli.ExitCodes}.
 */
@NullMarked
package dev.latchkey.admin.cli;

import org.jspecify.annotations.NullMarked;
