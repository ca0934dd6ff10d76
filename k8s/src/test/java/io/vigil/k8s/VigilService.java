package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.vigil.bridge.BridgeConfig;
import io.vigil.config.Settings;
import io.vigil.models.cli.ModelsCli;
import io.vigil.notifier.NotifierConfig;
import io.vigil.replay.kafka.ProducerSettings;
import io.vigil.schemas.ServiceAccess;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.topics.TopicsCommand;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Vigil process a container runs, known by its image (the name each module's Jib build gives it)
 * and, for the scorer image, its first argument; with what that process reads its settings.
 */
enum VigilService {
    SCORER("scorer", ServiceAccess.Service.SCORER, TopologyConfig::from),
    /** The scorer image's {@code topics} command; its principal is an admin's, not a Vigil service's. */
    TOPICS("scorer", null, TopicsCommand::settings),
    BRIDGE("sse-bridge", ServiceAccess.Service.BRIDGE, BridgeConfig::from),
    /** The models CLI: the registry's settings and the training shard count (ModelsCli.settings). */
    MODELS("models", ServiceAccess.Service.MODELS, ModelsCli::settings),
    /** The replay producer reads its settings in ReplayProducer.call(), through ProducerSettings.from. */
    REPLAY("replay-producer", ServiceAccess.Service.REPLAY, s -> ProducerSettings.from(s, Map.of())),
    NOTIFIER("notifier", ServiceAccess.Service.NOTIFIER, NotifierConfig::from);

    /** The image repository every Vigil image is under ({@code vigil/scorer}, ...). */
    static final String REPOSITORY = "vigil/";

    final String image;
    final ServiceAccess.Service access;
    final Consumer<Settings> reader;

    VigilService(String image, ServiceAccess.Service access, Consumer<Settings> reader) {
        this.image = image;
        this.access = access;
        this.reader = reader;
    }

    /** Every key this process reads, with its default, from a fresh {@code Settings.of(Map.of())}. */
    Map<String, String> keysRead() {
        Settings fresh = Settings.of(Map.of());
        reader.accept(fresh);
        return fresh.keysRead();
    }

    /** The image's name without registry, repository and tag: {@code scorer} of {@code r.example/vigil/scorer:1}. */
    static String imageName(String image) {
        String withoutTag = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutTag.lastIndexOf('/');
        int colon = withoutTag.lastIndexOf(':');
        if (colon > slash) {
            withoutTag = withoutTag.substring(0, colon);
        }
        return withoutTag.substring(slash + 1);
    }

    static VigilService of(Container container) {
        String name = imageName(container.getImage());
        List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
        for (VigilService s : values()) {
            if (!s.image.equals(name)) {
                continue;
            }
            boolean topics = !args.isEmpty() && args.get(0).equals("topics");
            if (s == TOPICS ? topics : s != SCORER || !topics) {
                return s;
            }
        }
        return fail("container " + container.getName() + " runs " + container.getImage()
                + ", which is none of Vigil's images (vigil/scorer, vigil/sse-bridge, vigil/models, vigil/replay-producer, vigil/notifier)");
    }
}
