package dev.latchkey.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reply of one {@code HGETALL} of a key record, read straight from Lettuce's buffers into {@link RecordFields}
 * (#20). A listing page reads hundreds of records of about a dozen fields each, and Lettuce's {@code MapOutput}
 * spends most of that on the event loop: a wrapping buffer and a new {@code String} for every field name and value,
 * and a hash-map node per field. Here a field name the store writes (either record encoding, see {@link RecordCodec}
 * and {@link LegacyRecordCodec}) is looked up from its bytes and answered with one shared {@code String} and, for the
 * compact encoding, its slot; a value is decoded from UTF-8 once, through a small array of this output's own. A name
 * not in the table (a piece such as {@code n+1}, or a field someone else wrote) is decoded like a value, so the map
 * is the same as {@code MapOutput}'s, only without insertion order.
 *
 * <p>Not thread-safe: Lettuce fills one output from its event loop and hands the map over once complete.
 */
final class RecordOutput extends CommandOutput<String, String, Map<String, String>> {

    /** The first encoding's field names ({@link LegacyRecordCodec}); the compact ones: {@link RecordFields#COMPACT}. */
    private static final List<String> LEGACY = List.of("id", "tenant_id", "owner_id", "name", "environment", "type",
            "status", "scopes", "ip_restrictions", "metadata", "created_at", "updated_at", "expires_at", "current_hash",
            "current_hint", "current_imported", "status_changed_at", "status_changed_by", "status_reason", "version",
            "rate_limit", "quota", "webhook_config", "storage_config", "previous_hash", "previous_hint",
            "previous_imported", "previous_expires_at", "usage_count", "last_used_at", "last_used_ip");

    /** Open addressing over the names' bytes; a power of two at least four times the names, so probes stay short. */
    private static final int SLOTS = 256;
    private static final byte[][] NAME_BYTES = new byte[SLOTS][];
    private static final String[] NAMES = new String[SLOTS];
    /** The {@link RecordFields#slot} of each name in the table, -1 for the first encoding's names. */
    private static final int[] FIELD_SLOTS = new int[SLOTS];
    private static final int LONGEST;

    static {
        int longest = 0;
        List<String> known = new ArrayList<>(RecordFields.COMPACT);
        known.addAll(LEGACY);
        for (String name : known) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            int slot = slot(ByteBuffer.wrap(bytes), 0, bytes.length);
            while (NAMES[slot] != null) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            NAME_BYTES[slot] = bytes;
            NAMES[slot] = name;
            FIELD_SLOTS[slot] = RecordFields.slot(name);
            longest = Math.max(longest, bytes.length);
        }
        LONGEST = longest;
    }

    private @Nullable String name;
    private int fieldSlot = -1;
    private boolean hasName;
    private final RecordFields fields;
    private byte[] scratch = new byte[CompactText.PIECE];

    RecordOutput() {
        this(new RecordFields());
    }

    private RecordOutput(RecordFields fields) {
        super(StringCodec.UTF8, fields);
        this.fields = fields;
    }

    @Override
    public void set(@Nullable ByteBuffer bytes) {
        if (!hasName) {
            int known = bytes == null ? -1 : known(bytes);
            name = known >= 0 ? NAMES[known] : bytes == null ? null : text(bytes);
            fieldSlot = known >= 0 ? FIELD_SLOTS[known] : -1;
            hasName = true;
            return;
        }
        String value = bytes == null ? null : text(bytes);
        if (fieldSlot >= 0 && value != null) {
            fields.put(fieldSlot, value);
        } else {
            fields.putOther(name, value);
        }
        name = null;
        hasName = false;
    }

    /** Returns the table slot of a known field name, or -1. */
    private static int known(ByteBuffer bytes) {
        int pos = bytes.position();
        int n = bytes.remaining();
        if (n > 0 && n <= LONGEST) {
            for (int slot = slot(bytes, pos, n); NAMES[slot] != null; slot = (slot + 1) & (SLOTS - 1)) {
                if (same(NAME_BYTES[slot], bytes, pos, n)) {
                    return slot;
                }
            }
        }
        return -1;
    }

    /** Decodes UTF-8 (a malformed sequence reads as U+FFFD, as with Lettuce's own codec). */
    private String text(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        bytes.get(bytes.position(), scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    private static int slot(ByteBuffer bytes, int pos, int n) {
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + bytes.get(pos + i);
        }
        return (h ^ (h >>> 8)) & (SLOTS - 1);
    }

    private static boolean same(byte[] known, ByteBuffer bytes, int pos, int n) {
        if (known.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (known[i] != bytes.get(pos + i)) {
                return false;
            }
        }
        return true;
    }
}
