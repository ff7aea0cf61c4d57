"""The words of the demo commune's year of feedback: what residents of Kiến Minh write about,
category by category, the commune's answers, and its reply templates.

`{hamlet}` is the hamlet's name, `{road}` a road or place in it, `{n}` a small number.
"""

# category -> [(title, what the resident writes, the answer, the public summary)]
ITEMS: dict[str, list[tuple[str, str, str, str]]] = {
    "ha_tang_giao_thong": [
        (
            "Đèn đường hỏng ở {hamlet}",
            "Đèn chiếu sáng trên {road} ({hamlet}) bị hỏng {n} bóng liền nhau đã gần hai tuần, "
            "buổi tối rất tối, học sinh đi học thêm về và người đi chợ sớm không an toàn. "
            "Đề nghị xã cho thay bóng sớm.",
            "UBND xã đã giao Phòng Kinh tế phối hợp đơn vị quản lý điện chiếu sáng kiểm tra; "
            "đã thay {n} bóng đèn LED và sửa tủ điều khiển trên {road}. Đèn đã sáng bình "
            "thường từ tối hôm qua. Cảm ơn ông/bà đã phản ánh.",
            "Phản ánh đèn chiếu sáng hỏng trên {road} ({hamlet}). Xã đã thay bóng, sửa tủ điện.",
        ),
        (
            "Đường thôn xuống cấp, nhiều ổ gà",
            "Đoạn {road} ở {hamlet} xuống cấp nặng, có nhiều ổ gà sâu, trời mưa đọng nước, "
            "xe máy đi qua rất nguy hiểm, tuần trước có người ngã. Đề nghị xã sớm vá "
            "đường hoặc đưa vào kế hoạch cải tạo.",
            "Xã đã kiểm tra hiện trường: đoạn đường dài khoảng {n}00 m hư hỏng mặt. Trước mắt "
            "đã vá ổ gà bằng bê tông nhựa nguội; việc cải tạo toàn tuyến đã được đưa vào kế "
            "hoạch đầu tư công năm tới theo hình thức Nhà nước và Nhân dân cùng làm.",
            "Phản ánh đường {road} ({hamlet}) xuống cấp. Xã đã vá ổ gà, đưa tuyến đường vào kế "
            "hoạch cải tạo năm tới.",
        ),
        (
            "Cống thoát nước bị vỡ nắp",
            "Nắp cống thoát nước trước nhà văn hóa {hamlet} bị vỡ, để hở một lỗ lớn, trẻ em "
            "chơi gần đó rất nguy hiểm. Xin xã cho thay nắp cống.",
            "Xã đã cho rào tạm và cắm biển cảnh báo ngay trong ngày, sau đó đã thay nắp cống "
            "bê tông cốt thép mới. Xin cảm ơn ông/bà.",
            "Nắp cống trước nhà văn hóa {hamlet} bị vỡ; xã đã thay nắp mới.",
        ),
        (
            "Cây đổ chắn ngang đường sau mưa bão",
            "Sau trận mưa to đêm qua, một cây xà cừ lớn trên {road} ({hamlet}) bị đổ chắn "
            "ngang đường, dây điện bị kéo võng xuống thấp. Đề nghị xã xử lý gấp.",
            "Ban Chỉ huy quân sự xã cùng lực lượng xung kích đã cắt dọn cây đổ, phối hợp "
            "Điện lực nâng lại đường dây. Đường đã thông xe ngay trong buổi sáng.",
            "Cây đổ chắn đường {road} sau mưa; xã đã cắt dọn, thông đường.",
        ),
        (
            "Đề nghị lắp gương cầu ở ngã ba",
            "Ngã ba {road} giao với đường trục xã ở {hamlet} bị khuất tầm nhìn do nhà dân và "
            "cây cối, đã xảy ra {n} vụ va chạm. Đề nghị xã lắp gương cầu lồi và biển báo.",
            "Xã đã khảo sát và lắp gương cầu lồi, biển báo giao nhau tại ngã ba; đồng thời "
            "vận động các hộ tỉa cây che khuất tầm nhìn.",
            "Đề nghị lắp gương cầu tại ngã ba {road}; xã đã lắp gương và biển báo.",
        ),
    ],
    "moi_truong": [
        (
            "Rác thải ven kênh",
            "Dọc kênh thủy lợi cạnh {road} ({hamlet}) có nhiều người đổ trộm rác thải sinh "
            "hoạt và xác động vật, bốc mùi hôi thối, ảnh hưởng đến nước tưới. Đề nghị xã dọn "
            "dẹp và xử lý người vi phạm.",
            "Xã đã tổ chức thu dọn khoảng {n} tấn rác ven kênh, lắp biển cấm đổ rác và camera "
            "giám sát; giao trưởng thôn {hamlet} vận động các hộ đổ rác đúng giờ, đúng nơi "
            "quy định. Trường hợp vi phạm sẽ bị xử phạt theo quy định.",
            "Phản ánh rác thải ven kênh ở {hamlet}. Xã đã thu dọn, lắp biển cấm và camera.",
        ),
        (
            "Xe thu gom rác không đến đúng lịch",
            "Cả tuần nay xe thu gom rác không vào {road} ({hamlet}), rác để trước cửa nhà bị "
            "chó mèo bới, mùi rất khó chịu. Xin xã nhắc đơn vị thu gom.",
            "Xã đã làm việc với Hợp tác xã dịch vụ môi trường; do xe hỏng nên lịch thu gom bị "
            "gián đoạn. Từ nay xe thu gom vào {hamlet} các ngày thứ Hai, Tư, Sáu lúc 17 giờ.",
            "Xe thu gom rác không đến đúng lịch ở {hamlet}; xã đã đề nghị đơn vị thu gom khắc "
            "phục và thông báo lịch mới.",
        ),
        (
            "Đốt rơm rạ gây khói bụi",
            "Mùa gặt, nhiều hộ ở cánh đồng giáp {hamlet} đốt rơm rạ vào buổi chiều, khói bay "
            "vào khu dân cư, người già và trẻ nhỏ bị ho. Đề nghị xã có biện pháp.",
            "Xã đã chỉ đạo các thôn tuyên truyền không đốt rơm rạ, hướng dẫn dùng chế phẩm "
            "vi sinh để ủ rơm làm phân bón; Hội Nông dân hỗ trợ chế phẩm cho các hộ.",
            "Đốt rơm rạ gây khói bụi gần {hamlet}; xã đã tuyên truyền, hướng dẫn ủ rơm.",
        ),
        (
            "Xưởng sản xuất gây tiếng ồn ban đêm",
            "Xưởng cơ khí trên {road} ({hamlet}) hoạt động đến 23 giờ, tiếng máy cắt, máy mài "
            "rất ồn, các hộ xung quanh không ngủ được. Đề nghị xã kiểm tra.",
            "Đoàn kiểm tra của xã đã làm việc với chủ xưởng, lập biên bản và yêu cầu chỉ hoạt "
            "động từ 7 giờ đến 21 giờ, lắp vách cách âm. Xã sẽ tiếp tục kiểm tra đột xuất.",
            "Xưởng cơ khí ở {hamlet} gây ồn ban đêm; xã đã kiểm tra, yêu cầu chấp hành giờ "
            "hoạt động.",
        ),
        (
            "Nước thải chăn nuôi chảy ra mương",
            "Trang trại lợn gần {hamlet} xả nước thải chưa xử lý ra mương chung, nước đen và "
            "hôi. Đề nghị xã kiểm tra, yêu cầu xử lý.",
            "Xã đã kiểm tra, yêu cầu chủ trang trại nạo vét, vận hành lại hầm biogas và không "
            "để nước thải tràn ra mương; đã lấy mẫu nước gửi phân tích.",
            "Nước thải chăn nuôi chảy ra mương gần {hamlet}; xã đã kiểm tra, yêu cầu khắc phục.",
        ),
    ],
    "an_ninh_trat_tu": [
        (
            "Lấn chiếm vỉa hè để kinh doanh",
            "Nhiều hộ kinh doanh trên {road} ({hamlet}) bày hàng, để xe lấn hết vỉa hè, người "
            "đi bộ phải đi xuống lòng đường. Đề nghị xã lập lại trật tự.",
            "Công an xã phối hợp trưởng thôn đã nhắc nhở, yêu cầu {n} hộ cam kết không lấn "
            "chiếm vỉa hè; xã sẽ kiểm tra định kỳ và xử phạt nếu tái phạm.",
            "Lấn chiếm vỉa hè trên {road}; xã đã nhắc nhở, yêu cầu các hộ cam kết.",
        ),
        (
            "Thanh niên tụ tập đua xe ban đêm",
            "Tối thứ Bảy, Chủ nhật thường có nhóm thanh niên tụ tập rú ga, đua xe trên đường "
            "đê qua {hamlet}, rất nguy hiểm. Đề nghị công an xã tuần tra.",
            "Công an xã đã tăng cường tuần tra vào tối cuối tuần trên tuyến đường đê, tạm giữ "
            "{n} xe vi phạm và mời phụ huynh đến làm việc.",
            "Thanh niên tụ tập đua xe trên đường đê qua {hamlet}; công an xã đã tăng tuần tra.",
        ),
        (
            "Karaoke gây ồn sau 22 giờ",
            "Một hộ ở {hamlet} hát karaoke bằng loa kéo công suất lớn đến gần nửa đêm, nhiều "
            "lần nhắc không được. Đề nghị xã xử lý.",
            "Công an xã đã đến nhắc nhở, lập biên bản; hộ gia đình đã cam kết không sử dụng "
            "loa sau 22 giờ.",
            "Hát karaoke gây ồn sau 22 giờ ở {hamlet}; công an xã đã nhắc nhở, lập biên bản.",
        ),
    ],
    "dat_dai": [
        (
            "Lấn chiếm đất công làm lều quán",
            "Một hộ dựng lều quán trên phần đất công ven {road} ({hamlet}), lấn ra cả hành "
            "lang an toàn giao thông. Đề nghị xã kiểm tra.",
            "Công chức địa chính đã kiểm tra, xác định lều quán nằm trên đất công do xã quản "
            "lý; hộ gia đình đã tự tháo dỡ theo yêu cầu của xã.",
            "Lấn chiếm đất công ven {road}; xã đã kiểm tra, hộ vi phạm đã tự tháo dỡ.",
        ),
        (
            "Hỏi về thời gian cấp giấy chứng nhận",
            "Gia đình tôi nộp hồ sơ đăng ký cấp giấy chứng nhận quyền sử dụng đất tại {hamlet} "
            "đã hơn {n} tháng mà chưa có kết quả. Xin xã cho biết hồ sơ đang ở đâu.",
            "Hồ sơ của ông/bà đã được xã xác nhận và chuyển Văn phòng đăng ký đất đai; hiện "
            "đang chờ xác định nghĩa vụ tài chính. Xã đã đề nghị giải quyết sớm và sẽ báo "
            "ông/bà khi có thông báo nộp thuế.",
            "Hỏi tiến độ cấp giấy chứng nhận quyền sử dụng đất; xã đã trả lời tình trạng hồ sơ.",
        ),
        (
            "Đổ đất san lấp ruộng trái phép",
            "Có xe chở đất đổ san lấp ruộng lúa ở cánh đồng giáp {hamlet} vào ban đêm, có thể "
            "để chuyển mục đích trái phép. Đề nghị xã kiểm tra.",
            "Xã đã kiểm tra, lập biên bản đình chỉ việc san lấp, yêu cầu chủ sử dụng đất khôi "
            "phục lại hiện trạng ruộng lúa.",
            "San lấp ruộng lúa trái phép gần {hamlet}; xã đã đình chỉ, yêu cầu khôi phục.",
        ),
    ],
    "thu_tuc_hanh_chinh": [
        (
            "Thủ tục chứng thực chậm",
            "Sáng nay tôi đến chứng thực bản sao tại Trung tâm Phục vụ hành chính công phải "
            "chờ gần {n} tiếng vì chỉ có một người làm. Đề nghị bố trí thêm người vào giờ cao "
            "điểm.",
            "Xã tiếp thu ý kiến: từ tuần này bố trí thêm một công chức hỗ trợ chứng thực vào "
            "buổi sáng thứ Hai và thứ Sáu, đồng thời cấp số thứ tự để người dân biết thời "
            "gian chờ. Xin lỗi ông/bà vì sự bất tiện.",
            "Chờ lâu khi chứng thực bản sao; xã đã bố trí thêm người vào giờ cao điểm.",
        ),
        (
            "Hướng dẫn đăng ký khai sinh trực tuyến",
            "Tôi muốn đăng ký khai sinh cho con trên Cổng dịch vụ công nhưng không biết tải "
            "giấy chứng sinh thế nào. Xin xã hướng dẫn.",
            "Công chức tư pháp – hộ tịch đã gọi điện hướng dẫn ông/bà từng bước; ông/bà cũng "
            "có thể đến Trung tâm Phục vụ hành chính công để đoàn viên thanh niên hỗ trợ.",
            "Hỏi cách đăng ký khai sinh trực tuyến; xã đã hướng dẫn.",
        ),
        (
            "Giấy hẹn trả kết quả bị lùi",
            "Hồ sơ đăng ký kết hôn của con tôi hẹn trả ngày thứ Ba nhưng đến nơi lại được "
            "hẹn sang tuần sau mà không báo trước. Đề nghị xã báo trước khi lùi hẹn.",
            "Xã xin lỗi ông/bà; hồ sơ chậm do chờ xác minh tình trạng hôn nhân ở nơi cư trú "
            "cũ. Xã đã chấn chỉnh việc gửi thư xin lỗi và hẹn lại qua tin nhắn trước ngày hẹn.",
            "Lùi hẹn trả kết quả không báo trước; xã đã xin lỗi và chấn chỉnh.",
        ),
        (
            "Đề nghị niêm yết phí, lệ phí rõ hơn",
            "Bảng niêm yết phí, lệ phí ở bộ phận một cửa chữ nhỏ, đặt cao khó đọc. Đề nghị in "
            "to và để ngang tầm mắt.",
            "Xã đã in lại bảng niêm yết khổ lớn, đặt ngang tầm mắt và đăng trên cổng thông "
            "tin của xã.",
            "Niêm yết phí, lệ phí khó đọc; xã đã in lại khổ lớn.",
        ),
    ],
    "thai_do_can_bo": [
        (
            "Thái độ cán bộ tiếp dân",
            "Khi tôi hỏi về hồ sơ, cán bộ ở quầy trả lời cộc lốc, không hướng dẫn rõ ràng. "
            "Đề nghị xã nhắc nhở thực hiện quy tắc ứng xử.",
            "Lãnh đạo UBND xã đã làm việc với công chức liên quan, yêu cầu rút kinh nghiệm và "
            "thực hiện đúng quy tắc ứng xử “4 xin, 4 luôn”. Xã xin lỗi ông/bà và cảm ơn ý kiến.",
            "Phản ánh thái độ cán bộ tại quầy; lãnh đạo xã đã yêu cầu rút kinh nghiệm.",
        ),
        (
            "Khen cán bộ hướng dẫn tận tình",
            "Tôi muốn cảm ơn chị cán bộ văn hóa – xã hội đã hướng dẫn tận tình, còn gọi điện "
            "nhắc bổ sung giấy tờ giúp mẹ tôi là người cao tuổi.",
            "UBND xã cảm ơn ông/bà đã ghi nhận; lời khen đã được chuyển đến công chức và ghi "
            "nhận trong đánh giá thi đua.",
            "Khen công chức hướng dẫn tận tình; xã đã ghi nhận.",
        ),
        (
            "Cán bộ đến muộn giờ làm việc",
            "Sáng nay 7 giờ 45 quầy một cửa vẫn chưa có người, nhiều người phải đứng chờ. "
            "Đề nghị xã chấn chỉnh giờ giấc.",
            "Xã đã kiểm tra, nhắc nhở công chức liên quan và bố trí người trực thay khi có "
            "công chức đi công tác.",
            "Quầy một cửa chưa có người đầu giờ; xã đã nhắc nhở, bố trí trực thay.",
        ),
    ],
    "chinh_sach_xa_hoi": [
        (
            "Trợ cấp người cao tuổi chưa nhận",
            "Bố tôi ở {hamlet} đủ 80 tuổi từ tháng trước nhưng chưa được nhận trợ cấp xã hội "
            "hằng tháng. Xin xã xem giúp.",
            "Xã đã kiểm tra, hồ sơ của cụ đã được duyệt; trợ cấp được chi trả từ tháng đủ "
            "tuổi, truy lĩnh cùng kỳ chi trả tháng tới tại nhà văn hóa {hamlet} hoặc qua tài "
            "khoản.",
            "Hỏi trợ cấp người cao tuổi; xã đã trả lời, trợ cấp được truy lĩnh.",
        ),
        (
            "Rà soát hộ cận nghèo chưa đúng",
            "Gia đình tôi ở {hamlet} có hoàn cảnh khó khăn, chồng bị bệnh nặng nhưng năm nay "
            "không có tên trong danh sách hộ cận nghèo. Đề nghị xã xem xét lại.",
            "Ban giảm nghèo xã đã phúc tra; gia đình đủ điều kiện và được bổ sung vào danh "
            "sách hộ cận nghèo, được cấp thẻ bảo hiểm y tế từ tháng tới.",
            "Đề nghị xem xét lại danh sách hộ cận nghèo; xã đã phúc tra, bổ sung hộ đủ điều kiện.",
        ),
        (
            "Cấp thẻ bảo hiểm y tế cho trẻ em",
            "Con tôi dưới 6 tuổi nhưng chưa được cấp thẻ bảo hiểm y tế dù đã đăng ký khai "
            "sinh {n} tháng. Xin xã hướng dẫn.",
            "Thẻ bảo hiểm y tế của cháu đã được cấp và có trên ứng dụng VssID; xã đã gửi thẻ "
            "giấy về trưởng thôn để trao cho gia đình.",
            "Chậm cấp thẻ bảo hiểm y tế cho trẻ em; thẻ đã được cấp.",
        ),
        (
            "Hỗ trợ người khuyết tật",
            "Em trai tôi bị khuyết tật nặng, xin hỏi thủ tục để được hưởng trợ cấp và cấp "
            "giấy xác nhận khuyết tật.",
            "Xã đã hướng dẫn gia đình nộp hồ sơ xác định mức độ khuyết tật; Hội đồng xác định "
            "đã họp và cấp giấy xác nhận, trợ cấp được chi trả từ tháng sau.",
            "Hỏi thủ tục trợ cấp người khuyết tật; xã đã hướng dẫn và giải quyết.",
        ),
    ],
    "khac": [
        (
            "Ngập úng khi mưa lớn",
            "Mỗi lần mưa lớn, khu dân cư {hamlet} bị ngập sâu {n}0 cm do mương tiêu bị bồi "
            "lấp, nước vào cả nhà. Đề nghị xã nạo vét mương và làm cống thoát.",
            "Xã đã huy động máy nạo vét {n}00 m mương tiêu, khơi thông cống qua đường; việc "
            "xây cống hộp mới đã đưa vào kế hoạch vốn năm tới.",
            "Ngập úng ở {hamlet} khi mưa lớn; xã đã nạo vét mương, khơi thông cống.",
        ),
        (
            "Loa truyền thanh thôn quá to",
            "Loa truyền thanh đặt gần nhà tôi ở {hamlet} phát quá to vào 5 giờ sáng. Đề nghị "
            "xã chỉnh hướng loa hoặc giảm âm lượng.",
            "Xã đã điều chỉnh hướng loa và âm lượng, đồng thời chuyển giờ phát buổi sáng sang "
            "6 giờ.",
            "Loa truyền thanh ở {hamlet} quá to; xã đã chỉnh hướng và giờ phát.",
        ),
        (
            "Đề nghị sửa sân chơi ở nhà văn hóa",
            "Sân chơi cho trẻ em ở nhà văn hóa {hamlet} có cầu trượt bị gãy, xích đu bị gỉ. "
            "Đề nghị xã sửa chữa để các cháu vui chơi an toàn.",
            "Xã đã tháo dỡ thiết bị hỏng, Đoàn Thanh niên phối hợp thôn sửa chữa và sơn lại; "
            "sân chơi đã sử dụng lại được.",
            "Sân chơi ở nhà văn hóa {hamlet} hư hỏng; xã đã sửa chữa.",
        ),
    ],
}

ROADS = [
    "đường trục thôn",
    "ngõ xóm Giữa",
    "đường ra đồng",
    "đường liên thôn",
    "đường bờ sông",
    "ngõ cạnh nhà văn hóa",
    "đường vào trường tiểu học",
    "đường đê",
]

# Land disputes and similar: not feedback; redirected with the right way to go.
REDIRECTED = [
    (
        "dat_dai",
        "Tranh chấp ranh giới đất với hộ liền kề",
        "Hộ liền kề xây tường rào lấn sang đất nhà tôi khoảng {n}0 cm. Đề nghị xã giải quyết.",
        "Đây là tranh chấp đất đai giữa hai hộ, cần hòa giải tại tổ hòa giải thôn và UBND xã "
        "theo thủ tục hòa giải tranh chấp đất đai, không giải quyết như một ý kiến góp ý.",
    ),
    (
        "dat_dai",
        "Không đồng ý quyết định thu hồi đất",
        "Tôi không đồng ý với quyết định thu hồi đất làm đường của UBND xã vì giá bồi thường "
        "thấp. Đề nghị xem xét lại.",
        "Ý kiến không đồng ý với quyết định hành chính là khiếu nại; xã hướng dẫn ông/bà nộp "
        "đơn khiếu nại để được thụ lý và giải quyết theo Luật Khiếu nại.",
    ),
    (
        "an_ninh_trat_tu",
        "Tố giác hành vi đánh bạc",
        "Có một nhóm người thường xuyên tụ tập đánh bạc ăn tiền trong một nhà ở {hamlet}.",
        "Tố giác tội phạm được chuyển Công an xã để tiếp nhận, xác minh theo quy định của Bộ "
        "luật Tố tụng hình sự.",
    ),
]

REPLY_TEMPLATES = {
    "ha_tang_giao_thong": (
        "Đã sửa chữa hạ tầng",
        "Kính gửi ông/bà {name},\n\nUBND {commune} đã nhận phản ánh {code} ngày "
        "{received_date}. {office} đã kiểm tra hiện trường và tổ chức sửa chữa: …\n\n"
        "Xin cảm ơn ông/bà đã đồng hành cùng chính quyền.",
    ),
    "moi_truong": (
        "Đã xử lý vệ sinh môi trường",
        "Kính gửi ông/bà {name},\n\nVề phản ánh {code} ngày {received_date}, UBND {commune} "
        "đã giao {office} kiểm tra và xử lý: …\n\nXã tiếp tục vận động Nhân dân giữ gìn vệ "
        "sinh môi trường.",
    ),
    "an_ninh_trat_tu": (
        "Đã phối hợp công an xã xử lý",
        "Kính gửi ông/bà {name},\n\nVề phản ánh {code} ngày {received_date}, Công an xã đã "
        "kiểm tra và xử lý: …\n\nMọi thông tin về người phản ánh được giữ bí mật.",
    ),
    "dat_dai": (
        "Trả lời về đất đai",
        "Kính gửi ông/bà {name},\n\nUBND {commune} trả lời phản ánh {code} ngày "
        "{received_date} như sau: …\n\nNếu chưa đồng ý, ông/bà có quyền khiếu nại theo "
        "quy định của Luật Khiếu nại.",
    ),
    "thu_tuc_hanh_chinh": (
        "Tiếp thu ý kiến về thủ tục",
        "Kính gửi ông/bà {name},\n\nUBND {commune} cảm ơn ý kiến {code} ngày {received_date} "
        "về thủ tục hành chính. Xã đã tiếp thu và chấn chỉnh: …",
    ),
    "thai_do_can_bo": (
        "Xin lỗi và chấn chỉnh thái độ",
        "Kính gửi ông/bà {name},\n\nUBND {commune} đã nhận phản ánh {code} ngày "
        "{received_date}. Lãnh đạo xã đã làm việc với công chức liên quan và yêu cầu rút kinh "
        "nghiệm. Xã chân thành xin lỗi ông/bà.",
    ),
    "chinh_sach_xa_hoi": (
        "Trả lời về chính sách xã hội",
        "Kính gửi ông/bà {name},\n\nVề phản ánh {code} ngày {received_date}, {office} đã "
        "kiểm tra hồ sơ và trả lời như sau: …",
    ),
    "khac": (
        "Cảm ơn ý kiến góp ý",
        "Kính gửi ông/bà {name},\n\nUBND {commune} cảm ơn ý kiến {code} ngày {received_date}. "
        "Xã đã tiếp thu và sẽ …",
    ),
    "": (
        "Đã chuyển đúng nơi giải quyết",
        "Kính gửi ông/bà {name},\n\nNội dung ông/bà gửi ngày {received_date} ({code}) không "
        "thuộc phạm vi góp ý, phản ánh; xã hướng dẫn ông/bà thực hiện theo: …",
    ),
}

UNSATISFIED_REASONS = [
    "Mới sửa tạm, vài hôm lại hỏng như cũ.",
    "Câu trả lời chung chung, chưa nói rõ khi nào làm.",
    "Trả lời chậm, phải gọi điện nhắc nhiều lần.",
    "Chưa thấy xử lý người vi phạm.",
]

COMPLAINTS = [
    # (kind, subject, respondent, content)
    (
        "complaint",
        "Quyết định thu hồi đất số {n}/QĐ-UBND để mở rộng đường liên thôn",
        "Chủ tịch UBND xã",
        "Không đồng ý với diện tích đất bị thu hồi và mức bồi thường cây trồng trên đất.",
    ),
    (
        "complaint",
        "Việc không xác nhận hộ cận nghèo năm nay",
        "UBND xã",
        "Gia đình có người bệnh nặng, thu nhập thấp nhưng bị loại khỏi danh sách hộ cận nghèo.",
    ),
    (
        "complaint",
        "Quyết định xử phạt vi phạm hành chính về xây dựng",
        "Chủ tịch UBND xã",
        "Cho rằng công trình chỉ sửa chữa nhà, không phải xây mới, nên không phải xin phép.",
    ),
    (
        "complaint",
        "Việc từ chối cấp giấy xác nhận nguồn gốc đất",
        "Công chức địa chính xã",
        "Đề nghị xác nhận đất đã sử dụng ổn định từ trước năm 2004 nhưng bị từ chối.",
    ),
    (
        "complaint",
        "Mức hỗ trợ khi giải phóng mặt bằng làm kênh tiêu",
        "UBND xã",
        "Mức hỗ trợ chuyển đổi nghề thấp hơn các hộ cùng thôn.",
    ),
    (
        "complaint",
        "Quyết định cưỡng chế tháo dỡ công trình lấn chiếm",
        "Chủ tịch UBND xã",
        "Cho rằng phần công trình không nằm trên hành lang an toàn giao thông.",
    ),
    (
        "complaint",
        "Việc chậm chi trả trợ cấp thờ cúng liệt sĩ",
        "UBND xã",
        "Gia đình đã nộp hồ sơ từ lâu nhưng chưa được chi trả trợ cấp thờ cúng liệt sĩ.",
    ),
    (
        "complaint",
        "Việc thu tiền đóng góp xây dựng nhà văn hóa thôn",
        "Ban phát triển thôn",
        "Cho rằng khoản thu chưa được bàn bạc, biểu quyết tại hội nghị thôn.",
    ),
    (
        "denunciation",
        "Hành vi nhận tiền khi làm hồ sơ đất đai",
        "Một công chức xã",
        "Tố cáo việc đòi tiền “bồi dưỡng” để làm nhanh hồ sơ cấp giấy chứng nhận.",
    ),
    (
        "denunciation",
        "Hành vi lập danh sách hỗ trợ không đúng đối tượng",
        "Trưởng thôn",
        "Tố cáo việc đưa người thân không đủ điều kiện vào danh sách nhận hỗ trợ thiên tai.",
    ),
    (
        "denunciation",
        "Hành vi sử dụng đất công sai mục đích",
        "Ban quản lý chợ",
        "Tố cáo việc cho thuê đất công cạnh chợ để thu tiền riêng.",
    ),
]

VISIT_MATTERS = [
    ("petition", "feedback", "Phản ánh đường thôn xuống cấp, đề nghị đưa vào kế hoạch cải tạo."),
    ("petition", "feedback", "Kiến nghị lắp thêm đèn chiếu sáng đường ra đồng."),
    ("procedure", "guided", "Hỏi thủ tục tách thửa đất để chia cho con."),
    ("procedure", "guided", "Hỏi điều kiện hưởng trợ cấp người cao tuổi."),
    ("procedure", "dossier", "Nộp hồ sơ đăng ký biến động đất đai, được hướng dẫn tại chỗ."),
    ("complaint", "complaint", "Khiếu nại mức bồi thường khi thu hồi đất làm đường."),
    ("denunciation", "complaint", "Tố cáo cán bộ đòi tiền khi làm hồ sơ đất đai."),
    ("petition", "transferred", "Kiến nghị về tiền điện tăng cao, đã chuyển Điện lực giải quyết."),
    ("other", "guided", "Hỏi về lịch tiêm chủng mở rộng cho trẻ em."),
    (
        "petition",
        "guided",
        "Đề nghị xã hỗ trợ giải quyết mâu thuẫn với hàng xóm; hướng dẫn hòa giải.",
    ),
]

DIALOGUE_TOPICS = [
    "Công tác cải cách hành chính, giải quyết thủ tục tại Trung tâm Phục vụ hành chính công",
    "Quản lý đất đai, trật tự xây dựng",
    "Vệ sinh môi trường, thu gom rác thải",
    "Đầu tư xây dựng, sửa chữa đường giao thông nông thôn",
    "Thực hiện chính sách an sinh xã hội",
]

# (source, question, answer, commitment or None)
DIALOGUE_QUESTIONS = [
    (
        "online",
        "Bao giờ xã cải tạo đường liên thôn từ Thôn Đông sang Thôn Nam?",
        "Tuyến đường đã được phê duyệt chủ trương đầu tư, khởi công trong quý tới.",
        "Khởi công cải tạo đường liên thôn Đông – Nam",
    ),
    (
        "online",
        "Có thể nộp hồ sơ chứng thực vào sáng thứ Bảy không?",
        "Từ tháng sau, Trung tâm Phục vụ hành chính công làm việc sáng thứ Bảy.",
        "Tổ chức làm việc sáng thứ Bảy tại Trung tâm Phục vụ hành chính công",
    ),
    (
        "paper",
        "Rác ven kênh Thôn Trung tồn đọng lâu, xã xử lý thế nào?",
        "Xã đã thu dọn, sẽ lắp camera giám sát và xử phạt người đổ trộm.",
        "Lắp camera giám sát đổ trộm rác ven kênh Thôn Trung",
    ),
    (
        "paper",
        "Hộ cận nghèo được hỗ trợ đóng bảo hiểm y tế bao nhiêu phần trăm?",
        "Ngân sách nhà nước hỗ trợ 70% mức đóng; xã đã rà soát và cấp thẻ đầy đủ.",
        None,
    ),
    (
        "online",
        "Mương tiêu Thôn Hòa Liễu bị bồi lấp, mưa to là ngập.",
        "Xã sẽ nạo vét trước mùa mưa bão.",
        "Nạo vét mương tiêu Thôn Hòa Liễu trước mùa mưa bão",
    ),
    (
        "meeting",
        "Việc cấp giấy chứng nhận quyền sử dụng đất còn chậm, đề nghị xã đôn đốc.",
        "Xã đã rà soát các hồ sơ tồn đọng và làm việc với Văn phòng đăng ký đất đai.",
        None,
    ),
    (
        "meeting",
        "Đề nghị lắp đèn chiếu sáng đường ra khu nghĩa trang.",
        "Xã sẽ lắp 12 cột đèn năng lượng mặt trời bằng nguồn xã hội hóa.",
        "Lắp đèn năng lượng mặt trời đường ra khu nghĩa trang",
    ),
    (
        "meeting",
        "Thái độ một số cán bộ tiếp dân chưa niềm nở.",
        "Chủ tịch UBND xã tiếp thu, chấn chỉnh và công khai đường dây nóng để người dân phản ánh.",
        None,
    ),
    (
        "paper",
        "Sân chơi trẻ em ở nhà văn hóa Thôn Bắc xuống cấp.",
        "Đoàn Thanh niên đã nhận sửa chữa trong tháng.",
        None,
    ),
    (
        "online",
        "Xe tải chở vật liệu chạy tốc độ cao qua khu dân cư.",
        "Công an xã tăng cường tuần tra, đặt biển hạn chế tốc độ.",
        None,
    ),
    (
        "meeting",
        "Người cao tuổi đi lại khó khăn, có thể nhận trợ cấp tại nhà không?",
        "Người từ 80 tuổi trở lên hoặc ốm yếu được nhận trợ cấp tại nhà hoặc qua tài khoản.",
        None,
    ),
    (
        "paper",
        "Đề nghị công khai các khoản đóng góp xây dựng nhà văn hóa thôn.",
        "Các thôn niêm yết công khai các khoản đóng góp tại nhà văn hóa sau mỗi quý.",
        None,
    ),
]

PLANNED_QUESTIONS = [
    ("online", "Kế hoạch làm đường giao thông nội đồng năm tới thế nào?"),
    ("paper", "Xã có hỗ trợ chuyển đổi cây trồng trên đất lúa kém hiệu quả không?"),
    ("online", "Khi nào có nước sạch về Thôn Kim Sơn?"),
    ("paper", "Đề nghị bố trí thêm điểm thu gom rác thải nguy hại (pin, bóng đèn)."),
]
