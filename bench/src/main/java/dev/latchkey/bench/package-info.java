/**
 * Benchmarks. Each JMH class measures a Latchkey operation next to a baseline in the same run, so results are read
 * as ratios (operation / baseline) that hold across machines better than absolute numbers.
 */
@NullMarked
package dev.latchkey.bench;

import org.jspecify.annotations.NullMarked;
