package dev.latchkey.core;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items  the items on this page
 * @param total  how many items match the query in all
 * @param offset the offset the page starts at
 * @param limit  the page size asked for
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public Page {
        items = List.copyOf(items);
    }
}
