package dev.seer.metadata;

import dev.seer.core.catalog.Catalog;
import dev.seer.testing.InMemoryCatalog;

/** The contract against the in-memory fake, so that tests using it see what the stores do. */
class InMemoryCatalogTest extends CatalogContract {
    @Override
    Catalog open() {
        return new InMemoryCatalog(clock);
    }
}
