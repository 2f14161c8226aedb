package dev.lifeboat.core.source.files;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a tar stream holds, read through to its end without writing anything: the archive-level
 * verification of a directory backup. A header that fails its checksum, a truncated entry or bytes
 * that are not tar at all are INTEGRITY_FAILED.
 *
 * @param entries every entry (files, directories, links, anything else)
 * @param files regular files
 * @param directories directories
 * @param symlinks symbolic links
 * @param fileBytes bytes of file content
 */
public record TarListing(long entries, long files, long directories, long symlinks, long fileBytes) {

    /** Reads {@code in} (not closed) to its very end. */
    public static TarListing read(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(
                new FilterInputStream(in) {
                    @Override
                    public void close() {
                        // the caller owns the stream
                    }
                },
                StandardCharsets.UTF_8.name());
        long entries = 0;
        long files = 0;
        long directories = 0;
        long symlinks = 0;
        long bytes = 0;
        boolean any = false;
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (IOException | IllegalArgumentException x) {
                throw malformed(x.getMessage(), x);
            }
            if (e == null) {
                break;
            }
            any = true;
            if (!e.isCheckSumOK()) {
                throw malformed("the header of entry '" + e.getName() + "' fails its checksum", null);
            }
            entries++;
            if (e.isDirectory()) {
                directories++;
            } else if (e.isSymbolicLink()) {
                symlinks++;
            } else if (e.isFile()) {
                files++;
                long n;
                try {
                    n = tar.transferTo(OutputStream.nullOutputStream());
                } catch (IOException | IllegalArgumentException x) {
                    throw malformed("entry '" + e.getName() + "' is truncated: " + x.getMessage(), x);
                }
                if (n != e.getSize()) {
                    throw malformed("entry '" + e.getName() + "' holds " + n + " of " + e.getSize() + " bytes", null);
                }
                bytes += n;
            }
        }
        if (!any) {
            throw malformed("it holds no entries", null);
        }
        in.transferTo(OutputStream.nullOutputStream());
        return new TarListing(entries, files, directories, symlinks, bytes);
    }

    private static LifeboatException malformed(String why, Throwable cause) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "the archive is not a well-formed tar stream: " + why,
                "verify the backup's checksum and restore from another copy",
                cause);
    }
}
