package dev.latchkey.engine;

/**
 * What the {@link Authenticator} decided for one request, free of servlet, Jersey and gateway types: a door only
 * translates it into its own answer.
 * <ul>
 *   <li>{@link Allow}: a valid key; pass the request on with the principal and the headers to add;</li>
 *   <li>{@link Pass}: no key is needed (an excluded path, or a CORS preflight the settings let through);</li>
 *   <li>{@link Denial}: answer with its status, problem body and headers.</li>
 * </ul>
 *
 * @since 0.1
 */
public sealed interface Decision permits Allow, Pass, Denial {
}
