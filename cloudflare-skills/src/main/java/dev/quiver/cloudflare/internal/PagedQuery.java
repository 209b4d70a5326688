package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.api.SkillException;

import java.util.List;
import java.util.function.Function;

/**
 * The items of a page/per_page list endpoint, read one at a time and fetched a page at a time, so a caller that
 * stops early never loads the pages it does not need.
 *
 * <p>The last page is the one where {@code page >= result_info.total_pages}, or the one shorter than
 * {@code per_page} (some endpoints report no total). Not thread-safe: one query belongs to one execution.
 */
public final class PagedQuery {

    private final CloudflareClient client;
    private final String path;
    private final int perPage;
    private final Function<Envelope, JsonNode> itemsOf;

    private int nextPage;
    private int pendingSkip;
    private int currentPage;
    private List<JsonNode> buffer = List.of();
    private int index;
    private boolean lastPage;

    /**
     * @param path      the path with its filter query, without page or per_page
     * @param perPage   items per page, within the endpoint's maximum
     * @param itemsOf   where the items are in the envelope ({@code result}, or {@code result.issues}, ...)
     * @param startPage the first page to read (1 unless resuming)
     * @param skip      items of {@code startPage} already returned before (0 unless resuming)
     */
    public PagedQuery(CloudflareClient client, String path, int perPage, Function<Envelope, JsonNode> itemsOf,
                      int startPage, int skip) {
        this.client = client;
        this.path = path;
        this.perPage = perPage;
        this.itemsOf = itemsOf;
        this.nextPage = startPage;
        this.pendingSkip = skip;
    }

    /** A query over {@code result} from the first page. */
    public static PagedQuery of(CloudflareClient client, String path, int perPage) {
        return new PagedQuery(client, path, perPage, Envelope::result, 1, 0);
    }

    /** The next item without consuming it, or null when there is none. */
    public JsonNode peek() throws SkillException {
        while (index >= buffer.size()) {
            if (lastPage) {
                return null;
            }
            fetchNextPage();
        }
        return buffer.get(index);
    }

    /** The next item, or null when there is none. */
    public JsonNode next() throws SkillException {
        JsonNode item = peek();
        if (item != null) {
            index++;
        }
        return item;
    }

    /** Moves items into {@code into} until it holds {@code limit} or none are left; fetches no page beyond. */
    public void drainInto(ArrayNode into, int limit) throws SkillException {
        while (into.size() < limit) {
            JsonNode item = next();
            if (item == null) {
                return;
            }
            into.add(item);
        }
    }

    /**
     * Where a later call resumes after the items read so far, without fetching anything; null when the items are
     * known to be all read.
     */
    public Position position() {
        if (currentPage == 0) {
            return new Position(nextPage, pendingSkip);
        }
        if (index < buffer.size()) {
            return new Position(currentPage, index);
        }
        return lastPage ? null : new Position(currentPage + 1, 0);
    }

    /** Items per page; a resumed query must use the same, or page numbers mean other items. */
    public int perPage() {
        return perPage;
    }

    private void fetchNextPage() throws SkillException {
        currentPage = nextPage++;
        Envelope envelope = client.get(new Query().add("page", currentPage).add("per_page", perPage).appendTo(path));
        buffer = CloudflareClient.items(itemsOf.apply(envelope));
        index = pendingSkip;
        pendingSkip = 0;
        int totalPages = envelope.resultInfo().path("total_pages").asInt(0);
        lastPage = buffer.size() < perPage || (totalPages > 0 && currentPage >= totalPages);
    }

    /** Where a later call resumes: {@code page} to request next, {@code skip} items of it already returned. */
    public record Position(int page, int skip) {
    }
}
