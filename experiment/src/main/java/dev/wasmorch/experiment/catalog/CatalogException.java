package dev.wasmorch.experiment.catalog;

/** functions/catalog.json cannot be used; the message names the file and the field. */
public final class CatalogException extends Exception {

    public CatalogException(String message) {
        super(message);
    }
}
