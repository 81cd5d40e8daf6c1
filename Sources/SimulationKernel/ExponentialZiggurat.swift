/// Standard exponential draws by the ziggurat method (Marsaglia and Tsang 2000, 256 layers).
///
/// About 99% of draws cost one 64-bit word, a multiply and a compare; the rest fall back to an
/// exact rejection test or, in the tail beyond r, to r − ln U. The layer table comes from the
/// published constants r and v by `DeterministicMath` (`computedTable()`), so it is identical
/// everywhere; it is written out in the source as exact literals.
///
/// One word gives both the layer (its low 8 bits) and the position within it (its top 53 bits).
public enum ExponentialZiggurat {
    /// The start of the tail: the right edge of the bottom layer's rectangle.
    @usableFromInline static let r = 7.69711747013104972
    /// The area of each layer.
    @usableFromInline static let v = 0.0039496598225815571993

    /// Layer edges x[0...256] (x[0] = v / f(r) is the bottom layer's virtual width, x[256] = 0),
    /// then densities f(x) = e^(−x) at those edges, in one table: edges at 0...256, densities at 257...513.
    ///
    /// Computed from r and v with `DeterministicMath` (`computedTable()`, which a test compares with
    /// this one bit for bit), and written out as exact hexadecimal literals so that the table is
    /// static data: a draw reads it without the once-only initialisation check a computed global
    /// costs on every access. A `var` only so that its address can be taken without a copy of its
    /// 4 KiB; nothing writes it.
    @usableFromInline
    nonisolated(unsafe) static var table: ZigguratTable = (
        0x1.164ec94bf5dc3p+3, 0x1.ec9d9297ebb83p+2, 0x1.bc39e51da71fcp+2, 0x1.9e9dc0d487b85p+2,
        0x1.8939fe6f2ed19p+2, 0x1.78750d6eac62ep+2, 0x1.6aa676d4bbf71p+2, 0x1.5ee7ae17313d1p+2,
        0x1.54ad83ccf73f4p+2, 0x1.4b9d7cd4751dp+2, 0x1.4379766e41361p+2, 0x1.3c14ec7c8b86p+2,
        0x1.354ee27ccf75dp+2, 0x1.2f0e38a4411fp+2, 0x1.293f5ae49aaa5p+2, 0x1.23d2bb659919fp+2,
        0x1.1ebbca0c9fa7cp+2, 0x1.19f03bcb3c2d6p+2, 0x1.156786775442ap+2, 0x1.111a8034392a6p+2,
        0x1.0d031785d48ap+2, 0x1.091c1cdcba54ep+2, 0x1.056118bf58eefp+2, 0x1.01ce2b362ec2ep+2,
        0x1.fcbfe43f6c6e6p+1, 0x1.f626e9791f7a7p+1, 0x1.efcc26750ea4ap+1, 0x1.e9aaf2af383c2p+1,
        0x1.e3bf26e190961p+1, 0x1.de050af4ef1ap+1, 0x1.d87946fec3bedp+1, 0x1.d318d6b2738c6p+1,
        0x1.cde0fecf2a98p+1, 0x1.c8cf442c8c8f5p+1, 0x1.c3e1641c2e0a8p+1, 0x1.bf154de4bef78p+1,
        0x1.ba691d276da5fp+1, 0x1.b5db15091ea1p+1, 0x1.b1699c003b60ap+1, 0x1.ad13382d845c5p+1,
        0x1.a8d68c2ad86eap+1, 0x1.a4b2543e84c3cp+1, 0x1.a0a563e49f179p+1, 0x1.9caea3a24d9ebp+1,
        0x1.98cd0f18d1ad9p+1, 0x1.94ffb34fc2a0fp+1, 0x1.9145ad2f37544p+1, 0x1.8d9e2823b3696p+1,
        0x1.8a085ce695babp+1, 0x1.8683906687342p+1, 0x1.830f12cc0bec4p+1, 0x1.7faa3e96e1413p+1,
        0x1.7c5477d1476d4p+1, 0x1.790d2b56b71fap+1, 0x1.75d3ce2bd71c4p+1, 0x1.72a7dce5cd219p+1,
        0x1.6f88db1f42508p+1, 0x1.6c7652f9a7b1fp+1, 0x1.696fd4a9748efp+1, 0x1.6674f60c3f432p+1,
        0x1.63855247b2e94p+1, 0x1.60a0897081878p+1, 0x1.5dc640388bd9dp+1, 0x1.5af61fa38e107p+1,
        0x1.582fd4c1b4461p+1, 0x1.5573106f8a75ap+1, 0x1.52bf871acaab2p+1, 0x1.5014f08b99509p+1,
        0x1.4d7307b1cb127p+1, 0x1.4ad98a75da14cp+1, 0x1.4848398d39432p+1, 0x1.45bed851bc92cp+1,
        0x1.433d2c9bd42f8p+1, 0x1.40c2fe9f5eeadp+1, 0x1.3e5018caddedp+1, 0x1.3be447a8d8b84p+1,
        0x1.397f59c345144p+1, 0x1.37211f88ca857p+1, 0x1.34c96b33bc966p+1, 0x1.327810b2aa7dp+1,
        0x1.302ce59265965p+1, 0x1.2de7c0e962d71p+1, 0x1.2ba87b445db51p+1, 0x1.296eee942532cp+1,
        0x1.273af61c7daa7p+1, 0x1.250c6e6403bbbp+1, 0x1.22e33524fe551p+1, 0x1.20bf293f0f4a3p+1,
        0x1.1ea02aa9b3372p+1, 0x1.1c861a6782a5cp+1, 0x1.1a70da7a27822p+1, 0x1.18604dd6fae9fp+1,
        0x1.1654585c404c2p+1, 0x1.144cdec6f3a2dp+1, 0x1.1249c6a92154cp+1, 0x1.104af660befdp+1,
        0x1.0e50550efcfb9p+1, 0x1.0c59ca9009471p+1, 0x1.0a673f733c81bp+1, 0x1.08789cf3aad1p+1,
        0x1.068dccf1126dcp+1, 0x1.04a6b9e9224a4p+1, 0x1.02c34ef11391cp+1, 0x1.00e377af911d6p+1,
        0x1.fe0e40add09dbp+0, 0x1.fa5c6b3efe1e8p+0, 0x1.f6b1498515ed3p+0, 0x1.f30cb6ea0bc83p+0,
        0x1.ef6e8fc5b916bp+0, 0x1.ebd6b154a767bp+0, 0x1.e844f9af42382p+0, 0x1.e4b947c16a454p+0,
        0x1.e1337b426509dp+0, 0x1.ddb374ad23582p+0, 0x1.da391538da50dp+0, 0x1.d6c43ed1ea402p+0,
        0x1.d354d4130f2b1p+0, 0x1.cfeab83ed7183p+0, 0x1.cc85cf395a57p+0, 0x1.c925fd82323ffp+0,
        0x1.c5cb282eab1a8p+0, 0x1.c27534e42e03p+0, 0x1.bf2409d2dfd88p+0, 0x1.bbd78db072613p+0,
        0x1.b88fa7b324fb9p+0, 0x1.b54c3f8cf2545p+0, 0x1.b20d3d66e8bb8p+0, 0x1.aed289dcaad02p+0,
        0x1.ab9c0df81657dp+0, 0x1.a869b32d0f312p+0, 0x1.a53b63556c693p+0, 0x1.a21108ad0593p+0,
        0x1.9eea8dcdde954p+0, 0x1.9bc7ddac7035fp+0, 0x1.98a8e3940bbf6p+0, 0x1.958d8b235828cp+0,
        0x1.9275c048e73e3p+0, 0x1.8f616f3fe1515p+0, 0x1.8c50848cc6096p+0, 0x1.8942ecfa40f56p+0,
        0x1.86389596108e9p+0, 0x1.83316badfe62bp+0, 0x1.802d5ccce7278p+0, 0x1.7d2c56b7d17f8p+0,
        0x1.7a2e476b1240bp+0, 0x1.77331d177d13p+0, 0x1.743ac61fa041cp+0, 0x1.714531150a9fbp+0,
        0x1.6e524cb59a608p+0, 0x1.6b6207e8d3cdfp+0, 0x1.687451bd3ebeep+0, 0x1.65891965c9b8cp+0,
        0x1.62a04e3731a2dp+0, 0x1.5fb9dfa56cf26p+0, 0x1.5cd5bd4119334p+0, 0x1.59f3d6b4e9cf8p+0,
        0x1.57141bc316f25p+0, 0x1.54367c42cb5f7p+0, 0x1.515ae81d900fbp+0, 0x1.4e814f4cb45eap+0,
        0x1.4ba9a1d6b18a4p+0, 0x1.48d3cfcc883c3p+0, 0x1.45ffc94716ca6p+0, 0x1.432d7e6466ccfp+0,
        0x1.405cdf44f09c3p+0, 0x1.3d8ddc08d336dp+0, 0x1.3ac064ccfeffcp+0, 0x1.37f469a851afp+0,
        0x1.3529daa8a1ba1p+0, 0x1.3260a7cfb7612p+0, 0x1.2f98c11031721p+0, 0x1.2cd2164a53b5ep+0,
        0x1.2a0c9748bcdaap+0, 0x1.274833bd018ap+0, 0x1.2484db3c2a32ap+0, 0x1.21c27d3b10e05p+0,
        0x1.1f01090a9c4e2p+0, 0x1.1c406dd3d5283p+0, 0x1.19809a93d2395p+0, 0x1.16c17e1777ffap+0,
        0x1.140306f707dbcp+0, 0x1.114523917ac13p+0, 0x1.0e87c207a2f63p+0, 0x1.0bcad03710134p+0,
        0x1.090e3bb4b006fp+0, 0x1.0651f1c7276f5p+0, 0x1.0395df60db16p+0, 0x1.00d9f119a3cd8p+0,
        0x1.fc3c26504a9ap-1, 0x1.f6c462b57feb4p-1, 0x1.f14c6e202949ep-1, 0x1.ebd41e5e21b6p-1,
        0x1.e65b483cf104p-1, 0x1.e0e1bf77c31fap-1, 0x1.db6756a429053p-1, 0x1.d5ebdf1d86b89p-1,
        0x1.d06f28ef0e6f7p-1, 0x1.caf102bc25ad7p-1, 0x1.c57139a70d29bp-1, 0x1.bfef99359fe95p-1,
        0x1.ba6beb33f8f85p-1, 0x1.b4e5f794c9797p-1, 0x1.af5d844f224c5p-1, 0x1.a9d255396d25dp-1,
        0x1.a4442be148846p-1, 0x1.9eb2c75ff03bcp-1, 0x1.991de42ad1335p-1, 0x1.93853bdfda241p-1,
        0x1.8de8850d0c526p-1, 0x1.884772f2be1e8p-1, 0x1.82a1b53fed595p-1, 0x1.7cf6f7c7e816ep-1,
        0x1.7746e2307796fp-1, 0x1.71911797990b8p-1, 0x1.6bd5362faa94p-1, 0x1.6612d6d0c68dcp-1,
        0x1.60498c7dd2ecap-1, 0x1.5a78e3db8bef8p-1, 0x1.54a0629786f49p-1, 0x1.4ebf86bcd0b8fp-1,
        0x1.48d5c5f35e70ep-1, 0x1.42e28ca706744p-1, 0x1.3ce53d121629cp-1, 0x1.36dd2e26d81fdp-1,
        0x1.30c9aa526da46p-1, 0x1.2aa9ee1236806p-1, 0x1.247d26538ff2ap-1, 0x1.1e426e93e49e3p-1,
        0x1.17f8ceb4bdf9cp-1, 0x1.119f38749f5acp-1, 0x1.0b348479b80f9p-1, 0x1.04b76ed6a7555p-1,
        0x1.fc4d25d683204p-2, 0x1.ef00ccf5f4fa6p-2, 0x1.e186678f17356p-2, 0x1.d3da24df17c3p-2,
        0x1.c5f7bd78c3f82p-2, 0x1.b7da5dddda3bcp-2, 0x1.a97c8be5d51fcp-2, 0x1.9ad80552237cap-2,
        0x1.8be5954d36066p-2, 0x1.7c9cdda17d011p-2, 0x1.6cf40f0a72bb5p-2, 0x1.5cdf89d024abap-2,
        0x1.4c515c60bfe19p-2, 0x1.3b388fe3d6ecp-2, 0x1.2980290da2628p-2, 0x1.170db24d6f665p-2,
        0x1.03bf049c65c3p-2, 0x1.decd8b76dbd8p-3, 0x1.b38d1ef79b7b3p-3, 0x1.85090fbc27a63p-3,
        0x1.522e6e54a2a53p-3, 0x1.19335a95b8d97p-3, 0x1.ad6b2495b4cd7p-4, 0x1.0589d8b5d40a8p-4,
        0x0p+0, 0x1.5e5d3f59d0549p-13, 0x1.dc31c329f0b48p-12, 0x1.fb20af78dfcb7p-11,
        0x1.92bb5540c3e26p-10, 0x1.1946ba8e1a326p-9, 0x1.6d888f3a1ff04p-9, 0x1.c58b381cd4b18p-9,
        0x1.1073d69574049p-8, 0x1.3fa97cee32306p-8, 0x1.7049f37ec3626p-8, 0x1.a23e9d497483bp-8,
        0x1.d5751fa745dcdp-8, 0x1.04ef2295fd7fbp-7, 0x1.1fb69edb37672p-7, 0x1.3b0b8c1516f64p-7,
        0x1.56e930be416ccp-7, 0x1.734b6e6aa74f7p-7, 0x1.902ea688fa7bbp-7, 0x1.ad8fa5542c92dp-7,
        0x1.cb6b9146e275ap-7, 0x1.e9bfdde89c7cep-7, 0x1.04452091e02eep-6, 0x1.13e4554725f5dp-6,
        0x1.23bc9e1b93a3p-6, 0x1.33cd225315d82p-6, 0x1.44151ce87f0bdp-6, 0x1.5493da6ab025p-6,
        0x1.6548b72a24075p-6, 0x1.76331da87fc93p-6, 0x1.8752853ec9965p-6, 0x1.98a670f132a46p-6,
        0x1.aa2e6e6924e98p-6, 0x1.bbea150fa586dp-6, 0x1.cdd9054331b08p-6, 0x1.dffae7a517465p-6,
        0x1.f24f6c7af988ep-6, 0x1.026b2590dfaecp-5, 0x1.0bc7a0c7cd65p-5, 0x1.153d09f19b3ap-5,
        0x1.1ecb45ff312d3p-5, 0x1.28723c956c00ap-5, 0x1.3231d7e3f14acp-5, 0x1.3c0a047ff18fcp-5,
        0x1.45fab14266b16p-5, 0x1.5003cf296c5e9p-5, 0x1.5a25513c5d2c8p-5, 0x1.645f2c726a04p-5,
        0x1.6eb1579b6af5p-5, 0x1.791bcb4ab089cp-5, 0x1.839e81c3a396ap-5, 0x1.8e3976e80776ap-5,
        0x1.98eca827b7c4ap-5, 0x1.a3b81471bf134p-5, 0x1.ae9bbc26a808p-5, 0x1.b997a10bed98p-5,
        0x1.c4abc640721e4p-5, 0x1.cfd83031e7945p-5, 0x1.db1ce4931580cp-5, 0x1.e679ea52eb2e3p-5,
        0x1.f1ef49944e834p-5, 0x1.fd7d0ba699678p-5, 0x1.04919d7f5c818p-4, 0x1.0a70f19871b3cp-4,
        0x1.105c88756ca51p-4, 0x1.165468f755393p-4, 0x1.1c589a86fa34p-4, 0x1.22692512c9d8bp-4,
        0x1.2886110ce056fp-4, 0x1.2eaf676948dd1p-4, 0x1.34e5319c6e718p-4, 0x1.3b277999b9f9fp-4,
        0x1.417649d25b10fp-4, 0x1.47d1ad343985cp-4, 0x1.4e39af290d929p-4, 0x1.54ae5b959d034p-4,
        0x1.5b2fbed91bb3dp-4, 0x1.61bde5ccadef5p-4, 0x1.6858ddc30b61fp-4, 0x1.6f00b488416b5p-4,
        0x1.75b5786193c1ep-4, 0x1.7c77380d7a6f2p-4, 0x1.834602c3bc4b8p-4, 0x1.8a21e835a533ap-4,
        0x1.910af88e574b6p-4, 0x1.9801447336b6dp-4, 0x1.9f04dd046f425p-4, 0x1.a615d3dd938b3p-4,
        0x1.ad343b165546p-4, 0x1.b460254356542p-4, 0x1.bb99a57712688p-4, 0x1.c2e0cf42e10aap-4,
        0x1.ca35b6b80fd53p-4, 0x1.d198706914dd2p-4, 0x1.d909116ad9392p-4, 0x1.e087af561baf4p-4,
        0x1.e8146048eb9c6p-4, 0x1.efaf3ae83c335p-4, 0x1.f75856619040ep-4, 0x1.ff0fca6cbea87p-4,
        0x1.036ad7a6e7f02p-3, 0x1.07550eeb7a5bdp-3, 0x1.0b4697b54b62dp-3, 0x1.0f3f7efec171dp-3,
        0x1.133fd20c9712cp-3, 0x1.17479e6f0ae75p-3, 0x1.1b56f2031d663p-3, 0x1.1f6ddaf3dca61p-3,
        0x1.238c67bbbe874p-3, 0x1.27b2a7260993cp-3, 0x1.2be0a8504cf3p-3, 0x1.30167aabe7d6bp-3,
        0x1.34542dffa0cadp-3, 0x1.3899d2694d5c7p-3, 0x1.3ce7785f8a901p-3, 0x1.413d30b386a96p-3,
        0x1.459b0c92dccc1p-3, 0x1.4a011d8983091p-3, 0x1.4e6f7583cb6f5p-3, 0x1.52e626d078c44p-3,
        0x1.57654422e78fp-3, 0x1.5bece0954c2b1p-3, 0x1.607d0fab06a2cp-3, 0x1.6515e5530d1a8p-3,
        0x1.69b775ea6da24p-3, 0x1.6e61d63ee84e6p-3, 0x1.73151b91a2835p-3, 0x1.77d15b99f46fap-3,
        0x1.7c96ac8851baap-3, 0x1.816525094e7e1p-3, 0x1.863cdc48c1af5p-3, 0x1.8b1de9f5062dp-3,
        0x1.900866425bb75p-3, 0x1.94fc69ee6929cp-3, 0x1.99fa0e43e162p-3, 0x1.9f016d1e4c50ep-3,
        0x1.a412a0edf5cb9p-3, 0x1.a92dc4bc03c46p-3, 0x1.ae52f42eb5b08p-3, 0x1.b3824b8dcef3bp-3,
        0x1.b8bbe7c72e4a2p-3, 0x1.bdffe67394432p-3, 0x1.c34e65db9afecp-3, 0x1.c8a784fce18p-3,
        0x1.ce0b638f6d09dp-3, 0x1.d37a220b431fcp-3, 0x1.d8f3e1ae3eeb8p-3, 0x1.de78c48224f39p-3,
        0x1.e408ed62f83a6p-3, 0x1.e9a48005940f1p-3, 0x1.ef4ba0fe8e09cp-3, 0x1.f4fe75c963e7fp-3,
        0x1.fabd24cff9355p-3, 0x1.0043eab93476bp-2, 0x1.032f580797c2dp-2, 0x1.0620ef05d90d3p-2,
        0x1.0918c4ee93e14p-2, 0x1.0c16ef88f5334p-2, 0x1.0f1b852d9a66dp-2, 0x1.12269ccba9fbap-2,
        0x1.15384dee291efp-2, 0x1.1850b0c191982p-2, 0x1.1b6fde19abc5ap-2, 0x1.1e95ef77b09dbp-2,
        0x1.21c2ff10b7fp-2, 0x1.24f727d4776fep-2, 0x1.2832857457629p-2, 0x1.2b75346ae2262p-2,
        0x1.2ebf52039427p-2, 0x1.3210fc6312434p-2, 0x1.356a528fcd0dcp-2, 0x1.38cb747b17deep-2,
        0x1.3c34830abb284p-2, 0x1.3fa5a0230a14ep-2, 0x1.431eeeb1841e1p-2, 0x1.46a092b80beeep-2,
        0x1.4a2ab158bdad2p-2, 0x1.4dbd70e26f91dp-2, 0x1.5158f8dde89f5p-2, 0x1.54fd721bda3e8p-2,
        0x1.58ab06c3aa9fp-2, 0x1.5c61e2631ee6fp-2, 0x1.602231fef587ap-2, 0x1.63ec2424827e8p-2,
        0x1.67bfe8fc60da3p-2, 0x1.6b9db25e4e9ap-2, 0x1.6f85b3e649eap-2, 0x1.7378230b08decp-2,
        0x1.77753735e72e4p-2, 0x1.7b7d29dc6801fp-2, 0x1.7f90369b6ce5ap-2, 0x1.83ae9b544613ap-2,
        0x1.87d8984bc3f8ep-2, 0x1.8c0e704b75d3cp-2, 0x1.905068c545d07p-2, 0x1.949ec9f9a8113p-2,
        0x1.98f9df2097babp-2, 0x1.9d61f695a3795p-2, 0x1.a1d76207521f7p-2, 0x1.a65a76aa30143p-2,
        0x1.aaeb8d6fdf6e9p-2, 0x1.af8b03428ef63p-2, 0x1.b439394548073p-2, 0x1.b8f6951990b8cp-2,
        0x1.bdc3812aeeeb9p-2, 0x1.c2a06d00ea586p-2, 0x1.c78dcd983fb63p-2, 0x1.cc8c1dc40e095p-2,
        0x1.d19bde97e1a0ep-2, 0x1.d6bd97db9ed7dp-2, 0x1.dbf1d88a7211p-2, 0x1.e139375e138p-2,
        0x1.e6945367dd355p-2, 0x1.ec03d4b969d94p-2, 0x1.f1886d1eb4251p-2, 0x1.f722d8ebfc5fep-2,
        0x1.fcd3dfe21457ap-2, 0x1.014e2b160f326p-1, 0x1.043e8ebd2654ap-1, 0x1.073b931ee3b7fp-1,
        0x1.0a45b8854d02cp-1, 0x1.0d5d8812b1e2dp-1, 0x1.108394a1cc38fp-1, 0x1.13b87bc33169ep-1,
        0x1.16fce6dce6ff1p-1, 0x1.1a518c71e3b28p-1, 0x1.1db7319877b8cp-1, 0x1.212eaba813ecbp-1,
        0x1.24b8e228c50a5p-1, 0x1.2856d111132bfp-1, 0x1.2c098b61f4f26p-1, 0x1.2fd23e345da6p-1,
        0x1.33b23450e631ap-1, 0x1.37aada708dddbp-1, 0x1.3bbdc44e1d115p-1, 0x1.3fecb2bb18b81p-1,
        0x1.44399afa8e127p-1, 0x1.48a6afb8ee06bp-1, 0x1.4d366c151f8b1p-1, 0x1.51eba1578899dp-1,
        0x1.56c9882da8776p-1, 0x1.5bd3d694cac78p-1, 0x1.610edc1a7af69p-1, 0x1.667fa6d4f5c09p-1,
        0x1.6c2c3498418c9p-1, 0x1.721bb5ba94b66p-1, 0x1.7856e9b09d482p-1, 0x1.7ee8a2d24312ap-1,
        0x1.85de87806c5bcp-1, 0x1.8d4a376d3d234p-1, 0x1.95431c455aa3ep-1, 0x1.9de9715556dap-1,
        0x1.a76baa562faedp-1, 0x1.b210f0ee67f31p-1, 0x1.be5007beb7b2fp-1, 0x1.cd0a65081fffap-1,
        0x1.e0545e5881144p-1, 0x1p+0
    )

    /// 514 doubles in a row: a tuple rather than an array, because a global tuple of literals is
    /// static data (an array literal is built at first use, behind a once-only check).
    public typealias ZigguratTable = (
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double
    )

    /// The table as `DeterministicMath` computes it from r and v: what `table` holds.
    public static func computedTable() -> [Double] {
        var table = [Double](repeating: 0, count: 514)
        table[0] = v / DeterministicMath.exp(-r)
        table[1] = r
        for i in 1..<255 {
            table[i + 1] = -DeterministicMath.log(v / table[i] + DeterministicMath.exp(-table[i]))
        }
        table[256] = 0
        for i in 0...256 { table[257 + i] = DeterministicMath.exp(-table[i]) }
        return table
    }

    /// The table's values (for tests).
    public static var tableValues: [Double] {
        withUnsafePointer(to: &table) { tuple in
            tuple.withMemoryRebound(to: Double.self, capacity: 514) { Array(UnsafeBufferPointer(start: $0, count: 514)) }
        }
    }

    /// One draw of an exponential variable with mean 1.
    ///
    /// The common case, a point inside its layer's rectangle, inline; the rest out of line.
    ///
    /// - Parameter stream: The stream to draw from.
    @inlinable @inline(__always)
    public static func sample(using stream: inout RandomStream) -> Double {
        let bits = stream.next()
        let layer = Int(bits & 0xff)
        let (x, edge) = withUnsafePointer(to: &ExponentialZiggurat.table) { tuple in
            let table = UnsafeRawPointer(tuple).assumingMemoryBound(to: Double.self)
            return (Double(bits >> 11) * 0x1.0p-53 * table[layer], table[layer + 1])
        }
        if x < edge { return x }
        return sample(outsideRectangleOf: layer, at: x, using: &stream)
    }

    /// The rest of a draw whose first word fell outside its layer's rectangle: the tail, the
    /// rejection test, and, when that rejects, draws afresh as `sample(using:)` does.
    @usableFromInline @inline(never)
    static func sample(outsideRectangleOf layer: Int, at x: Double, using stream: inout RandomStream) -> Double {
        withUnsafePointer(to: &ExponentialZiggurat.table) { tuple in
            let table = UnsafeRawPointer(tuple).assumingMemoryBound(to: Double.self)
            var layer = layer
            var x = x
            while true {
                if layer == 0 {
                    return r - DeterministicMath.log(stream.nextUnitExcludingZero())
                }
                let lower = table[257 + layer + 1]
                let upper = table[257 + layer]
                if lower + (upper - lower) * stream.nextUnit() < DeterministicMath.exp(-x) { return x }
                let bits = stream.next()
                layer = Int(bits & 0xff)
                x = Double(bits >> 11) * 0x1.0p-53 * table[layer]
                if x < table[layer + 1] { return x }
            }
        }
    }
}
