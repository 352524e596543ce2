package testserver

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	clusterMasters = 3
	clusterSlots   = 16384
	clusterTimeout = 60 * time.Second // redis-cli create, then every node agreeing
)

// startCluster starts three cluster-enabled nodes of bin (Redis 7.0 or 8), joins them with redis-cli into a
// cluster of masters without replicas, and waits until every node serves all slots.
func startCluster(bin binaries, dir string, extra []string) ([]*node, error) {
	nodes := make([]*node, 0, clusterMasters)
	for i := 1; i <= clusterMasters; i++ {
		nodeDir := filepath.Join(dir, fmt.Sprintf("node%d", i))
		n, err := startNode(fmt.Sprintf("cluster node %d", i), bin, nodeDir, func() []string {
			// The bus port is explicit: the default (port+10000) may be taken or out of range.
			bus, err := freePort()
			if err != nil {
				bus = 0 // the node then fails to start and reports why
			}
			args := []string{
				"--cluster-enabled", "yes",
				"--cluster-config-file", filepath.Join(nodeDir, "nodes.conf"),
				"--cluster-port", strconv.Itoa(bus),
			}
			return append(args, extra...)
		})
		if err != nil {
			killNodes(nodes)
			return nil, err
		}
		nodes = append(nodes, n)
	}
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.addr()
	}

	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	defer cancel()
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, bin.cli, args...).CombinedOutput(); err != nil {
		killNodes(nodes)
		return nil, fmt.Errorf("testserver: redis-cli --cluster create %s: %v\n%s", strings.Join(addrs, " "), err, out)
	}
	if err := waitClusterOK(addrs); err != nil {
		logs := make([]string, len(nodes))
		for i, n := range nodes {
			logs[i] = n.tail(0, 20)
		}
		killNodes(nodes)
		return nil, fmt.Errorf("testserver: cluster %s: %w\n%s", strings.Join(addrs, " "), err, strings.Join(logs, "\n"))
	}
	return nodes, nil
}

// waitClusterOK polls every node until each says cluster_state:ok, knows every node and maps
// all slots to exactly the given nodes, so a fresh ClusterClient works at its first command.
func waitClusterOK(addrs []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	defer cancel()
	clients := make([]*redis.Client, len(addrs))
	for i, addr := range addrs {
		clients[i] = redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		defer clients[i].Close()
	}
	for {
		var problem error
		for i, c := range clients {
			if problem = clusterNodeOK(ctx, c, addrs); problem != nil {
				problem = fmt.Errorf("node %s: %w", addrs[i], problem)
				break
			}
		}
		if problem == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready after %v: %w", clusterTimeout, problem)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func clusterNodeOK(ctx context.Context, c *redis.Client, addrs []string) error {
	text, err := c.ClusterInfo(ctx).Result()
	if err != nil {
		return err
	}
	info := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			info[k] = v
		}
	}
	want := map[string]string{
		"cluster_state":       "ok",
		"cluster_slots_ok":    strconv.Itoa(clusterSlots),
		"cluster_known_nodes": strconv.Itoa(len(addrs)),
		"cluster_size":        strconv.Itoa(len(addrs)),
	}
	for k, v := range want {
		if info[k] != v {
			return fmt.Errorf("CLUSTER INFO has %s:%s, want %s", k, info[k], v)
		}
	}
	shards, err := c.ClusterShards(ctx).Result()
	if err != nil {
		return err
	}
	covered := 0
	for _, shard := range shards {
		master := shardMaster(shard)
		if !slices.Contains(addrs, master) {
			return fmt.Errorf("CLUSTER SHARDS has a shard led by %q, not one of %v", master, addrs)
		}
		for _, r := range shard.Slots {
			covered += int(r.End-r.Start) + 1
		}
	}
	if covered != clusterSlots {
		return fmt.Errorf("CLUSTER SHARDS covers %d slots", covered)
	}
	return nil
}

// shardMaster returns host:port of the shard's online master, or "".
func shardMaster(shard redis.ClusterShard) string {
	for _, n := range shard.Nodes {
		if n.Role == "master" && n.Health == "online" {
			return net.JoinHostPort(n.IP, strconv.FormatInt(n.Port, 10))
		}
	}
	return ""
}
