package taskvec.cli.common;

import picocli.CommandLine.Option;
import taskvec.model.files.FileDigests;

/** --rehash, shared by the commands that hash model and input files for keys. */
public final class RehashOption {

    @Option(names = "--rehash", description = "read every model and input file again to hash it, instead of trusting a"
            + " Hugging Face cache blob's name or the hash remembered for an unchanged file in TASKVEC_HOME/hashes")
    boolean rehash;

    /** Call first in the command: hashing is then forced for this command only. */
    public void apply() {
        FileDigests.rehash(rehash);
    }
}
